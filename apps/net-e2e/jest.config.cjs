module.exports = {
  ...require('../../jest.node.preset.cjs')(__dirname),
  testMatch: ['<rootDir>/src/**/*.lab.spec.ts'],
  // One lab (root, namespaces, real browsers) at a time on two cores; calls that fail take the app's 30 s deadline.
  maxWorkers: 1,
  testTimeout: 90_000,
};
