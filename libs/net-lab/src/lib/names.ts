/**
 * Every namespace (and temporary directory) the lab makes is named
 * `mmlab-<pid>-<role>`, <pid> being the test process that made it: a later
 * run can tell what a killed run left behind (its pid is gone) from what a
 * run still going beside it owns.
 */
export const LAB_PREFIX = 'mmlab-';

export function labName(pid: number, role: string): string {
  return `${LAB_PREFIX}${pid}-${role}`;
}

/** The pid in a lab name, or undefined for a name the lab did not make. */
export function labOwner(name: string): number | undefined {
  const match = /^mmlab-(\d+)-/.exec(name);
  return match ? Number(match[1]) : undefined;
}

/** Whether process `pid` still runs (signal 0 only checks). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it runs, as another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Whether `name` is a leftover: made by the lab, and its owner is gone. The
 * current process's own names count as leftovers before it builds anything
 * (a pid reused from a killed run).
 */
export function isStale(name: string, self: number, alive: (pid: number) => boolean = processAlive): boolean {
  const owner = labOwner(name);
  if (owner === undefined) return false;
  return owner === self || !alive(owner);
}
