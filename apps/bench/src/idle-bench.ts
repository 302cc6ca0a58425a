/**
 * Section 1b: idle capacity. N clients connect and join rooms of four on
 * one server process and stay; the server's resident memory before and
 * after gives the memory per connected client, and the join phase gives
 * the join rate. The plain Socket.IO relay holds the same clients as the
 * floor of this stack.
 */
import { setTimeout as delay } from 'node:timers/promises';
import { Generator, processUsage } from './processes';
import type { SetupResult } from './relay/generator-protocol';
import { type RunningServer, startBaseline, startGeneratorProcess, startOurs } from './servers';

export interface IdleRow {
  system: 'ours' | 'ours-ref' | 'plain';
  clients: number;
  failures: number;
  rssBeforeMb: number;
  rssAfterMb: number;
  perClientKb: number;
  roomsPerSecond: number;
  connectsPerSecond: number;
  joinsPerSecond: number;
}

export interface IdleResult {
  clients: number;
  rows: IdleRow[];
}

/** RSS after the process has been quiet for a moment (the last of three readings a second apart). */
async function settledRss(pid: number): Promise<number> {
  let rss = 0;
  for (let i = 0; i < 3; i += 1) {
    await delay(1000);
    rss = processUsage(pid).rssBytes;
  }
  return rss;
}

async function holdClients(
  system: IdleRow['system'],
  server: RunningServer,
  clients: number,
  log: (line: string) => void,
): Promise<IdleRow> {
  const before = await settledRss(server.managed.pid);
  const generator = new Generator(startGeneratorProcess(`idle-generator-${system}`));
  try {
    const rooms = Math.ceil(clients / 4);
    log(`idle: ${rooms * 4} clients joining ${system}`);
    const setup = await generator.request<SetupResult>(
      {
        type: 'setup',
        spec: {
          name: `idle-${system}`,
          protocol: 'socketio',
          servers: [server.directUrl],
          rooms,
          perRoom: 4,
          createRooms: system !== 'plain',
          concurrency: 100,
        },
      },
      300_000,
    );
    const after = await settledRss(server.managed.pid);
    const row: IdleRow = {
      system,
      clients: setup.clients,
      failures: setup.failures,
      rssBeforeMb: before / 2 ** 20,
      rssAfterMb: after / 2 ** 20,
      perClientKb: (after - before) / 1024 / Math.max(1, setup.clients),
      roomsPerSecond: system !== 'plain' ? rooms / (setup.roomsMs / 1000) : Number.NaN,
      connectsPerSecond: setup.clients / (setup.connectMs / 1000),
      joinsPerSecond: setup.clients / (setup.joinMs / 1000),
    };
    log(
      `idle: ${system}: ${row.clients} clients, ${row.failures} failures, RSS ${row.rssBeforeMb.toFixed(0)} -> ${row.rssAfterMb.toFixed(0)} MB ` +
        `(${row.perClientKb.toFixed(1)} KB each), ${row.joinsPerSecond.toFixed(0)} joins/s`,
    );
    await generator.request({ type: 'close', group: `idle-${system}` }, 120_000);
    return row;
  } finally {
    await generator.managed.stop();
  }
}

export async function runIdleBench(clients: number, log: (line: string) => void): Promise<IdleResult> {
  const rows: IdleRow[] = [];
  const ours = await startOurs('idle-ours');
  try {
    rows.push(await holdClients('ours', ours, clients, log));
  } finally {
    await ours.managed.stop();
  }
  // BENCH_REFERENCE_SERVER: an earlier build of ours beside this one (see relay-bench.ts).
  const reference = process.env['BENCH_REFERENCE_SERVER'];
  if (reference) {
    const before = await startOurs('idle-ours-ref', { main: reference });
    try {
      rows.push(await holdClients('ours-ref', before, clients, log));
    } finally {
      await before.managed.stop();
    }
  }
  const plain = await startBaseline('idle-plain', 'plain-relay');
  try {
    rows.push(await holdClients('plain', plain, clients, log));
  } finally {
    await plain.managed.stop();
  }
  return { clients, rows };
}
