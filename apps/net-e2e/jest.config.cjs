// Lab cases 4-6 (network change, signaling outage, narrow lossy uplink) are
// written but do not pass yet (issue 12 is open; docs/network-lab.md says
// where they fail). They run only when asked for, so the suite in CI holds
// only cases that pass: NET_LAB_PENDING=1 npx jest -c apps/net-e2e/jest.config.cjs networks
const runPending = process.env.NET_LAB_PENDING === '1';
if (!runPending) {
  console.warn(
    '\n*** net-e2e: NOT running networks.lab.spec.ts (lab cases 4-6, not passing yet, issue 12 open). ' +
      'Set NET_LAB_PENDING=1 to run them. ***\n',
  );
}

module.exports = {
  ...require('../../jest.node.preset.cjs')(__dirname),
  testMatch: ['<rootDir>/src/**/*.lab.spec.ts'],
  testPathIgnorePatterns: ['/node_modules/', ...(runPending ? [] : ['<rootDir>/src/networks\\.lab\\.spec\\.ts$'])],
  // One lab (root, namespaces, real browsers) at a time on two cores; calls that fail take the app's 30 s deadline.
  maxWorkers: 1,
  testTimeout: 90_000,
};
