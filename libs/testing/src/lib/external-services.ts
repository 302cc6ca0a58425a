/**
 * Suites that need this machine's MariaDB or Redis run only when told where
 * they are (`.ci/run` sets both, so in CI they always run). Without the
 * variable the suite is skipped and says so loudly; under CI a missing
 * variable is an error, never a silent skip.
 */
export function externalService(variable: 'MYSQL_TEST_URL' | 'REDIS_TEST_URL', what: string): string | undefined {
  const value = process.env[variable];
  if (value) return value;
  if (process.env['CI']) {
    throw new Error(`${variable} is not set: CI must run the ${what} suite (see .ci/run)`);
  }
  process.stderr.write(
    `\n*** SKIPPED: the ${what} suite needs ${variable} (e.g. ${
      variable === 'MYSQL_TEST_URL' ? 'mysql://root@127.0.0.1:3306/test' : 'redis://127.0.0.1:6379'
    }). ***\n\n`,
  );
  return undefined;
}

/** describe() when the service is configured, describe.skip() otherwise. */
export function describeWith(url: string | undefined): jest.Describe {
  return url ? describe : describe.skip;
}
