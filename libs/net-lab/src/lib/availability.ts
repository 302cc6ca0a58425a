import { existsSync } from 'node:fs';
import { IP, NFT, TC, run } from './command';
import { labName } from './names';

/**
 * Why the lab cannot run here, or undefined when it can: it needs root, the
 * iproute2 and nftables binaries, and a kernel that lets it make a namespace.
 */
export function labUnavailableReason(): string | undefined {
  if (process.getuid?.() !== 0) return 'it must run as root (network namespaces, nftables)';
  const missing = [IP, NFT, TC].filter((binary) => !existsSync(binary));
  if (missing.length > 0) return `${missing.join(', ')} missing (apt-get install -y iproute2 nftables)`;
  const probe = labName(process.pid, 'probe');
  try {
    run(IP, ['netns', 'add', probe]);
    run(IP, ['netns', 'delete', probe]);
  } catch (error) {
    return `cannot make a network namespace: ${(error as Error).message}`;
  }
  return undefined;
}

/**
 * True when the lab can run. Under CI a lab that cannot run is an error (CI
 * must run it: .ci/run installs what it needs); elsewhere the suite is
 * skipped with a loud message.
 */
export function labAvailable(suite: string): boolean {
  const reason = labUnavailableReason();
  if (!reason) return true;
  if (process.env['CI']) throw new Error(`${suite}: the network lab cannot run: ${reason}; CI must run it`);
  console.warn(`\n*** SKIPPED: ${suite}: the network lab cannot run: ${reason}. ***\n`);
  return false;
}
