import { type ChildProcess, spawn } from 'node:child_process';

export interface Child {
  readonly name: string;
  readonly child: ChildProcess;
  /** Everything it printed so far (stdout and stderr). */
  output(): string;
  /** Resolves once `predicate(output)` holds; rejects if it exits first or after `timeoutMs`. */
  waitFor(predicate: (output: string) => boolean, what: string, timeoutMs?: number): Promise<void>;
  /** Resolves with the exit code (or signal) once it has ended. */
  readonly exited: Promise<number | NodeJS.Signals | null>;
  /** SIGTERM to its whole process group, SIGKILL after `graceMs`; resolves once it has ended. */
  stop(graceMs?: number): Promise<number | NodeJS.Signals | null>;
  /** Sends `signal` to its process group (SIGKILL: a crash) and resolves once it has ended. */
  kill(signal: NodeJS.Signals): Promise<number | NodeJS.Signals | null>;
  running(): boolean;
}

const live = new Set<Child>();

/**
 * Starts a process in its own process group (so a wrapper and what it starts
 * are stopped together) with a bounded lifetime: past `maxLifetimeMs` it is
 * killed whatever the test is doing. Every child is also stopped by
 * `stopAllChildren()` (called in afterAll) and when jest's worker exits.
 */
export function startChild(
  name: string,
  command: string,
  args: readonly string[],
  options: {
    env?: NodeJS.ProcessEnv;
    cwd?: string;
    maxLifetimeMs?: number;
    /** An IPC channel (child.send / 'message'), for a process driven by messages. */
    ipc?: boolean;
    /**
     * Keep only about the last this many characters of output (a server
     * logging every join of 10,000 clients). Unbounded by default, since
     * `waitFor` predicates read the whole output.
     */
    maxOutputChars?: number;
  } = {},
): Child {
  const child = spawn(command, args, {
    env: options.env ?? process.env,
    cwd: options.cwd,
    stdio: options.ipc ? ['ignore', 'pipe', 'pipe', 'ipc'] : ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let output = '';
  const listeners = new Set<() => void>();
  const keep = options.maxOutputChars;
  const append = (chunk: Buffer) => {
    output += chunk.toString();
    if (keep !== undefined && output.length > 2 * keep) output = output.slice(-keep);
    for (const listener of listeners) listener();
  };
  child.stdout?.on('data', append);
  child.stderr?.on('data', append);
  let spawnError: Error | undefined;
  const exited = new Promise<number | NodeJS.Signals | null>((resolveExit) => {
    child.once('error', (error) => {
      spawnError = error;
      resolveExit(null);
    });
    child.once('exit', (code, signal) => resolveExit(code ?? signal));
  });
  const running = () => child.exitCode === null && child.signalCode === null && !spawnError;
  const signalGroup = (signal: NodeJS.Signals) => {
    if (!running() || child.pid === undefined) return;
    try {
      process.kill(-child.pid, signal);
    } catch {
      child.kill(signal);
    }
  };
  const lifetime = setTimeout(() => {
    output += `\n[test] ${name} outlived ${options.maxLifetimeMs ?? 120_000} ms: killed\n`;
    signalGroup('SIGKILL');
  }, options.maxLifetimeMs ?? 120_000);
  lifetime.unref();

  const handle: Child = {
    name,
    child,
    output: () => output,
    exited,
    running,
    waitFor(predicate, what, timeoutMs = 15_000) {
      return new Promise<void>((resolveWait, reject) => {
        const done = (error?: Error) => {
          clearTimeout(timer);
          listeners.delete(check);
          if (error) reject(error);
          else resolveWait();
        };
        const check = () => {
          if (predicate(output)) done();
        };
        const timer = setTimeout(
          () => done(new Error(`${name}: no ${what} within ${timeoutMs} ms. Output:\n${output.slice(-4000)}`)),
          timeoutMs,
        );
        listeners.add(check);
        void exited.then((code) => {
          if (!predicate(output)) {
            done(new Error(`${name} ended (${String(code)}) before ${what}. ${spawnError?.message ?? ''}\n${output.slice(-4000)}`));
          }
        });
        check();
      });
    },
    async kill(signal) {
      signalGroup(signal);
      return exited;
    },
    async stop(graceMs = 5000) {
      signalGroup('SIGTERM');
      const timer = setTimeout(() => signalGroup('SIGKILL'), graceMs);
      const code = await exited;
      clearTimeout(timer);
      clearTimeout(lifetime);
      live.delete(handle);
      return code;
    },
  };
  live.add(handle);
  void exited.then(() => {
    clearTimeout(lifetime);
    live.delete(handle);
  });
  return handle;
}

/** Stops every child still running (afterAll of each suite). */
export async function stopAllChildren(): Promise<void> {
  await Promise.all([...live].map((child) => child.stop()));
}

process.once('exit', () => {
  for (const handle of live) {
    if (handle.child.pid !== undefined) {
      try {
        process.kill(-handle.child.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  }
});
