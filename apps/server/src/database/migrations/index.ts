import { InitialSchema1763769600000 } from './1763769600000-initial-schema';
import { ServerSecrets1795910400000 } from './1795910400000-server-secrets';
import { QualitySamples1796000000000 } from './1796000000000-quality-samples';

/** Every migration, in order. Bundled builds cannot glob a folder, so they are listed. */
export const MIGRATIONS = [InitialSchema1763769600000, ServerSecrets1795910400000, QualitySamples1796000000000];
