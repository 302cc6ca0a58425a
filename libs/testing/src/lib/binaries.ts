import { existsSync } from 'node:fs';
import { FIREFOX } from './firefox';

export const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
export const TURNSERVER = '/usr/bin/turnserver';
export const NGINX = '/usr/sbin/nginx';
export const OPENSSL = '/usr/bin/openssl';

const PACKAGE: Record<string, string> = {
  [CHROMIUM]: 'chromium',
  [TURNSERVER]: 'coturn',
  [NGINX]: 'nginx',
  [OPENSSL]: 'openssl',
  [FIREFOX]: 'firefox-esr',
};

/**
 * True when every binary is installed. Under CI a missing one is an error
 * (`.ci/run` installs them), never a silent skip; elsewhere the suite is
 * skipped and says so loudly.
 */
export function haveBinaries(suite: string, binaries: readonly string[]): boolean {
  const missing = binaries.filter((binary) => !existsSync(binary));
  if (missing.length === 0) return true;
  const install = `apt-get install -y ${missing.map((binary) => PACKAGE[binary] ?? binary).join(' ')}`;
  if (process.env['CI']) {
    throw new Error(`${suite}: ${missing.join(', ')} missing; CI must run this suite (.ci/run: ${install})`);
  }
  process.stderr.write(`\n*** SKIPPED: ${suite} needs ${missing.join(', ')} (${install}). ***\n\n`);
  return false;
}

/** describe() when the condition holds, describe.skip() otherwise. */
export function describeIf(condition: boolean): jest.Describe {
  return condition ? describe : describe.skip;
}
