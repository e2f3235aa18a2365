/** @type {import('jest').Config} */
module.exports = {
  preset: 'ts-jest',
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  // Gets busybox (and curl) for the runtime suite when missing: test/support/program-setup.ts.
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  // Examples import the package by name, as a platform repo would; tests run them from source.
  moduleNameMapper: {
    '^iks-workload-identity$': '<rootDir>/src/index.ts',
    '^iks-workload-identity/(k8s|terraform)$': '<rootDir>/src/$1/index.ts',
  },
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.test.json' }],
  },
};
