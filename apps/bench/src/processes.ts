/**
 * Child processes of a bench run: started through libs/testing's startChild
 * (own process group, bounded lifetime, killed when this process exits) and
 * ended when the run ends, fails or is interrupted (SIGINT, SIGTERM), so no
 * server or load generator outlives it.
 */
import { readFileSync } from 'node:fs';
import { setTimeout as delay } from 'node:timers/promises';
import { type Child, startChild, stopAllChildren } from '@mesh-meet/testing';
import type { GeneratorReply, GeneratorRequest } from './relay/generator-protocol';

/** The whole run is cut off after 20 minutes; no child may live longer than that. */
export const WATCHDOG_MS = 20 * 60_000;

/** A child of the bench, with its pid for the CPU and memory meters. */
export interface Managed extends Child {
  readonly pid: number;
}

export function spawnManaged(
  name: string,
  command: string,
  args: string[],
  options: { env?: Record<string, string | undefined>; ipc?: boolean } = {},
): Managed {
  const child = startChild(name, command, args, {
    env: { ...process.env, ...options.env },
    ipc: options.ipc,
    maxLifetimeMs: WATCHDOG_MS + 60_000,
    // A server logging 10,000 joins: the tail is enough for error messages.
    maxOutputChars: 64 * 1024,
  });
  if (child.child.pid === undefined) throw new Error(`${name}: could not start ${command}`);
  return Object.assign(child, { pid: child.child.pid });
}

/** Ends every child still running; used at the end of a run and on interruption. */
export const stopAll = stopAllChildren;

let exiting = false;
/** On Ctrl-C or SIGTERM: kill the children, then exit with the conventional code. */
export function installCleanup(extra: () => Promise<void> = async () => undefined): void {
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      if (exiting) return;
      exiting = true;
      process.stderr.write(`\nbench: ${signal}, stopping every child process\n`);
      void Promise.allSettled([extra(), stopAll()]).then(() => process.exit(130));
    });
  }
}

const CLOCK_TICKS_PER_SECOND = 100;

/** CPU time (user + system, ms) and resident memory (bytes) of a process, from /proc. */
export function processUsage(pid: number): { cpuMs: number; rssBytes: number } {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name, which may contain spaces, in parentheses.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]);
  const rssPages = Number(fields[21]);
  return { cpuMs: (ticks * 1000) / CLOCK_TICKS_PER_SECOND, rssBytes: rssPages * 4096 };
}

/** CPU time the whole machine spent busy (all cores, ms), from /proc/stat. */
export function machineBusyMs(): number {
  const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
  // user nice system idle iowait irq softirq steal: everything but idle and iowait is busy.
  const busy = fields.reduce((sum, value, index) => (index === 3 || index === 4 ? sum : sum + value), 0);
  return (busy * 1000) / CLOCK_TICKS_PER_SECOND;
}

/**
 * What other work did on this machine over a stretch of time, in percent of
 * one core: the machine's busy time less that of `ours` (the processes of
 * the bench). Other developers' test runs share these cores.
 */
export class OtherLoadMeter {
  private readonly machineStart = machineBusyMs();
  private readonly ours: CpuMeter;
  private readonly startedAt = performance.now();

  constructor(pids: number[]) {
    this.ours = new CpuMeter(pids);
  }

  stop(): number {
    const wallMs = performance.now() - this.startedAt;
    const machine = machineBusyMs() - this.machineStart;
    const ours = (this.ours.stop().cpuPercent * wallMs) / 100;
    return Math.max(0, ((machine - ours) / wallMs) * 100);
  }
}

/** CPU use of a set of processes over a stretch of time, in percent of one core. */
export class CpuMeter {
  private readonly start: Map<number, number>;
  private readonly startedAt = performance.now();

  constructor(private readonly pids: number[]) {
    this.start = new Map(pids.map((pid) => [pid, processUsage(pid).cpuMs]));
  }

  stop(): { cpuPercent: number; rssBytes: number } {
    const wallMs = performance.now() - this.startedAt;
    let cpuMs = 0;
    let rssBytes = 0;
    for (const pid of this.pids) {
      const usage = processUsage(pid);
      cpuMs += usage.cpuMs - (this.start.get(pid) ?? usage.cpuMs);
      rssBytes += usage.rssBytes;
    }
    return { cpuPercent: (cpuMs / wallMs) * 100, rssBytes };
  }
}

/** The load generator process and a typed request channel to it. */
export class Generator {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();

  constructor(readonly managed: Managed) {
    managed.child.on('message', (reply: GeneratorReply) => {
      const waiting = this.pending.get(reply.id);
      if (!waiting) return;
      this.pending.delete(reply.id);
      if (reply.ok) waiting.resolve(reply.result);
      else waiting.reject(new Error(`load generator: ${reply.error}`));
    });
    void managed.exited.then((code) => {
      for (const waiting of this.pending.values()) {
        waiting.reject(new Error(`load generator exited (${code}):\n${managed.output().slice(-4000)}`));
      }
      this.pending.clear();
    });
  }

  request<T>(message: GeneratorRequest, timeoutMs: number): Promise<T> {
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      const timeout = new AbortController();
      void delay(timeoutMs, undefined, { signal: timeout.signal }).then(
        () => {
          this.pending.delete(id);
          reject(new Error(`load generator: no answer to ${message.type} within ${timeoutMs} ms`));
        },
        () => undefined,
      );
      this.pending.set(id, {
        resolve: (value) => {
          timeout.abort();
          resolve(value as T);
        },
        reject: (error) => {
          timeout.abort();
          reject(error);
        },
      });
      this.managed.child.send({ ...message, id });
    });
  }
}
