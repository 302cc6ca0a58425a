import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const root = join(__dirname, '../../../..');

describe('how the built server is started', () => {
  it('runs in the Docker image with the Node options every other start path uses', () => {
    const { args } = JSON.parse(readFileSync(join(root, 'apps/server/node-args.json'), 'utf8')) as { args: string[] };
    const dockerfile = readFileSync(join(root, 'Dockerfile'), 'utf8');
    const cmd = dockerfile.match(/^CMD (\[.*\])$/m)?.[1];
    expect(cmd).toBeDefined();
    expect(JSON.parse(cmd as string)).toEqual(['node', ...args, 'dist/apps/server/main.js']);
  });
});
