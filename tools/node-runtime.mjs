// Angular 22 needs Node >= 22.22. When the machine's Node is older (Debian's
// is 20), fetch Node 24 LTS from the npm registry once into a cache folder and
// run the real work with it first on PATH. Written for any Node >= 18.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';

export const MINIMUM = [22, 22];

export function isModern(version = process.versions.node) {
  const [major, minor] = version.split('.').map(Number);
  return major > MINIMUM[0] || (major === MINIMUM[0] && minor >= MINIMUM[1]);
}

/** An environment whose PATH starts with a Node that Angular 22 accepts. */
export function modernNodeEnv(env = process.env) {
  if (isModern()) return env;
  const cache = join(env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'mesh-meet', 'node24');
  const bin = join(cache, 'node_modules', '.bin');
  if (!existsSync(join(bin, 'node'))) {
    console.log(`Node ${process.versions.node} is older than ${MINIMUM.join('.')}: installing Node 24 into ${cache}`);
    mkdirSync(cache, { recursive: true });
    execFileSync('npm', ['install', '--prefix', cache, '--no-save', '--no-audit', '--no-fund', 'node@24'], {
      stdio: 'inherit',
    });
  }
  return { ...env, PATH: `${bin}${delimiter}${env.PATH ?? ''}` };
}
