import { execFileSync } from 'node:child_process';

/** iproute2 and nftables (Debian's `iproute2` and `nftables` packages). */
export const IP = '/usr/sbin/ip';
export const NFT = '/usr/sbin/nft';
export const TC = '/usr/sbin/tc';

/**
 * Runs a command to its end and returns what it printed; throws with its
 * stderr when it fails. Synchronous on purpose: the lab's teardown also runs
 * from a process 'exit' hook, where nothing asynchronous runs any more.
 */
export function run(command: string, args: readonly string[], input?: string): string {
  try {
    return execFileSync(command, args, { input, encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'], timeout: 15_000 });
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr?.trim() ?? '';
    throw new Error(`${command} ${args.join(' ')} failed: ${stderr || (error as Error).message}`);
  }
}

/** The command prefix that runs a program inside network namespace `ns`. */
export function enter(ns: string): string[] {
  return [IP, 'netns', 'exec', ns];
}

/** Runs `command args` inside namespace `ns`. */
export function runIn(ns: string, command: string, args: readonly string[], input?: string): string {
  return run(IP, ['netns', 'exec', ns, command, ...args], input);
}
