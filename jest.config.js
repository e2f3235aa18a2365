/** @type {import('jest').Config} */
const base = {
  rootDir: __dirname,
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

module.exports = {
  projects: [
    { ...base, displayName: 'cdktf', globals: { IWI_ENGINE: 'cdktf' } },
    // The Terraform suite (and the rules' synth hook) again on CDK Terrain: every `cdktf` import
    // (the tests', and src/terraform/engine.ts's, which the constructs and bindings use) loads
    // `cdktn`, and the same assertions must hold. test/terraform/engine-under-test.test.ts proves
    // the swap happened. test/terraform/engines.test.ts compares the two builds byte for byte.
    {
      ...base,
      displayName: 'cdktn',
      testMatch: ['<rootDir>/test/terraform/**/*.test.ts', '<rootDir>/test/rules/synth-terraform.test.ts'],
      globals: { IWI_ENGINE: 'cdktn' },
      testPathIgnorePatterns: ['/node_modules/', '/test/terraform/engines\\.test\\.ts$'],
      moduleNameMapper: { ...base.moduleNameMapper, '^cdktf$': 'cdktn' },
    },
  ],
};
