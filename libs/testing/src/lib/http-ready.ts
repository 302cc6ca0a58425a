import type { Child } from './child-process';
import { waitFor } from './wait-for';

/**
 * Waits until `url` answers HTTP at all (or with 200 when `requireOk`: a
 * server whose /health says it is ready). With `child`, fails at once when
 * that process exits, and the error carries the end of its output.
 */
export async function waitForHttp(
  url: string,
  options: { child?: Child; requireOk?: boolean; timeoutMs?: number } = {},
): Promise<void> {
  const { child, requireOk = false, timeoutMs = 30_000 } = options;
  const answers = async () => {
    if (child && !child.running()) throw new Error(`${child.name} exited`);
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(1000) });
      await response.arrayBuffer();
      return !requireOk || response.status === 200;
    } catch {
      return false; // not listening yet
    }
  };
  try {
    await waitFor(answers, { what: `answer at ${url}`, timeoutMs });
  } catch (error) {
    const output = child ? `:\n${child.output().slice(-4000)}` : '';
    throw new Error(`${child?.name ?? 'server'} did not answer at ${url} (${(error as Error).message})${output}`);
  }
}
