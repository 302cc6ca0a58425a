module.exports = {
  ...require('../../jest.node.preset.cjs')(__dirname),
  testMatch: ['<rootDir>/src/**/*.e2e.spec.ts'],
  // Real browsers on two cores: one file at a time, and time for calls to connect.
  maxWorkers: 1,
  testTimeout: 60000,
};
