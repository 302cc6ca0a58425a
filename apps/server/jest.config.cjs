module.exports = {
  ...require('../../jest.node.preset.cjs')(__dirname),
  // End-to-end specs start real servers; give them time to connect, not to sleep.
  testTimeout: 20000,
};
