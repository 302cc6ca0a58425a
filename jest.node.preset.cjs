// Shared jest settings for the Node projects (server, protocol): TypeScript
// through ts-jest in transpile-only mode (isolatedModules), CommonJS output.
const path = require('node:path');

module.exports = (projectDir) => ({
  displayName: path.basename(projectDir),
  rootDir: projectDir,
  testEnvironment: 'node',
  testMatch: ['<rootDir>/src/**/*.spec.ts'],
  moduleFileExtensions: ['ts', 'js', 'json'],
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: path.join(projectDir, 'tsconfig.spec.json') }],
  },
  moduleNameMapper: {
    '^@mesh-meet/protocol$': path.join(__dirname, 'libs/protocol/src/index.ts'),
    '^@mesh-meet/protocol/core$': path.join(__dirname, 'libs/protocol/src/core.ts'),
    '^@mesh-meet/net-lab$': path.join(__dirname, 'libs/net-lab/src/index.ts'),
    '^@mesh-meet/testing/meeting-ui$': path.join(__dirname, 'libs/testing/src/meeting-ui.ts'),
    '^@mesh-meet/testing/property$': path.join(__dirname, 'libs/testing/src/property.ts'),
    '^@mesh-meet/testing$': path.join(__dirname, 'libs/testing/src/index.ts'),
  },
  clearMocks: true,
});
