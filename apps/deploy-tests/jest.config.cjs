module.exports = {
  ...require('../../jest.node.preset.cjs')(__dirname),
  // These suites start real coturn, nginx, Chromium and server processes.
  // Every wait inside is on a state with its own bound; this is the outer one.
  testTimeout: 60000,
};
