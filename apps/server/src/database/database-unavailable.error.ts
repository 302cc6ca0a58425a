/** A database call failed or took too long; callers answer UNAVAILABLE / 503. */
export class DatabaseUnavailableError extends Error {
  constructor(
    readonly operation: string,
    readonly reason?: unknown,
  ) {
    super(`database unavailable during ${operation}`);
    this.name = 'DatabaseUnavailableError';
  }
}

/** Rejects with DatabaseUnavailableError when `work` has not settled within `ms`. */
export async function withTimeout<T>(operation: string, ms: number, work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new DatabaseUnavailableError(operation, 'timeout')), ms);
  });
  try {
    return await Promise.race([work, timeout]);
  } catch (error) {
    if (error instanceof DatabaseUnavailableError) throw error;
    throw new DatabaseUnavailableError(operation, error);
  } finally {
    clearTimeout(timer);
  }
}
