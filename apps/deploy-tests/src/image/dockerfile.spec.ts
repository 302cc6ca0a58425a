import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import {
  freePort,
  repoPath,
  SERVER_MAIN,
  startServerProcess,
  stopAllChildren,
  WEB_DIR,
} from '@mesh-meet/testing';

afterAll(stopAllChildren);

interface Instruction {
  keyword: string;
  args: string;
}

/** Dockerfile instructions, continuation lines joined, comments dropped. */
function instructions(text: string): Instruction[] {
  return text
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map((line) => {
      const [keyword, ...rest] = line.split(/\s+/);
      return { keyword: keyword.toUpperCase(), args: rest.join(' ') };
    });
}

function stages(all: Instruction[]): Instruction[][] {
  const result: Instruction[][] = [];
  for (const instruction of all) {
    if (instruction.keyword === 'FROM') result.push([]);
    result.at(-1)?.push(instruction);
  }
  return result;
}

describe('Dockerfile (the app image)', () => {
  const all = instructions(readFileSync(repoPath('Dockerfile'), 'utf8'));
  const [build, ...rest] = stages(all);
  const final = rest.at(-1) ?? [];

  it('builds in one stage and ships only what runs in the last', () => {
    expect(build[0].args).toMatch(/ AS build$/);
    expect(build.some((i) => i.keyword === 'RUN' && i.args.includes('nx run-many -t build -p server web'))).toBe(true);
    const copies = final.filter((i) => i.keyword === 'COPY').map((i) => i.args);
    expect(copies).toEqual(
      expect.arrayContaining([
        '--from=build /src/dist/apps/server ./dist/apps/server',
        '--from=build /src/dist/apps/web/browser ./dist/apps/web/browser',
      ]),
    );
    // No sources, no dev dependencies in the image that runs.
    expect(copies.some((args) => /^\.\s/.test(args))).toBe(false);
    expect(all.some((i) => i.keyword === 'RUN' && /npm install --omit=dev/.test(i.args))).toBe(true);
    // README: npm install, never npm ci.
    expect(all.some((i) => /\bnpm ci\b/.test(i.args))).toBe(false);
  });

  it('runs as a non-root user, with a health check, and starts what `nx build server` produces as every start path does', () => {
    const user = final.filter((i) => i.keyword === 'USER').at(-1)?.args;
    expect(user).toBeDefined();
    expect(['root', '0', '0:0']).not.toContain(user);
    expect(final.some((i) => i.keyword === 'HEALTHCHECK' && i.args.includes('/app/healthcheck.mjs'))).toBe(true);
    // With the Node options every other start path uses (apps/server/node-args.json).
    const { args } = JSON.parse(readFileSync(repoPath('apps/server/node-args.json'), 'utf8')) as { args: string[] };
    const cmd = final.find((i) => i.keyword === 'CMD')?.args;
    expect(JSON.parse(cmd ?? 'null')).toEqual(['node', ...args, 'dist/apps/server/main.js']);
    expect(existsSync(SERVER_MAIN)).toBe(true);
    expect(existsSync(`${WEB_DIR}/index.html`)).toBe(true);
  });

  it('copies only files that exist and that .dockerignore lets into the build context', () => {
    const ignored = readFileSync(repoPath('.dockerignore'), 'utf8')
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line !== '' && !line.startsWith('#') && !line.startsWith('!'));
    for (const ignore of ['.env', 'node_modules', 'dist', 'data', '.git']) expect(ignored).toContain(ignore);
    const sources = all
      .filter((i) => i.keyword === 'COPY' && !i.args.startsWith('--from'))
      .flatMap((i) => i.args.split(/\s+/).slice(0, -1))
      .filter((source) => source !== '.');
    expect(sources.length).toBeGreaterThan(0);
    for (const source of sources) {
      expect({ source, exists: existsSync(repoPath(source)) }).toEqual({ source, exists: true });
      expect({ source, ignored: ignored.some((pattern) => source === pattern || source.startsWith(`${pattern}/`)) }).toEqual({
        source,
        ignored: false,
      });
    }
  });

  it("the container's health check passes against a running app and fails when nothing answers", async () => {
    const server = await startServerProcess();
    const check = (port: number) =>
      spawnSync(process.execPath, [repoPath('deploy/healthcheck.mjs')], {
        env: { PATH: process.env['PATH'] ?? '', PORT: String(port) },
        timeout: 10_000,
      }).status;
    expect(check(server.port)).toBe(0);
    await server.stop();
    expect(check(await freePort())).toBe(1);
  });
});
