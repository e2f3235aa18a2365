// The root entry point is the identity model only: a repo that renders one side must not need
// the other side's framework installed. These tests load modules in a fresh registry and read
// which files it holds.

/** The files a fresh module registry holds after running `load`. */
function modulesLoadedBy(load: () => void): string[] {
  let loaded: string[] = [];
  jest.isolateModules(() => {
    load();
    loaded = Object.keys(require.cache);
  });
  return loaded;
}

const FRAMEWORKS = ['/node_modules/cdk8s/', '/node_modules/cdk8s-plus-27/', '/node_modules/cdktf/', '/node_modules/cdktn/', '/node_modules/constructs/'];

describe('the root entry point', () => {
  test('loads neither cdk8s nor cdktf (nor constructs)', () => {
    // GIVEN a fresh module registry
    // WHEN the root entry point is required
    const loaded = modulesLoadedBy(() => require('../../src/index'));
    // THEN no framework file was loaded
    expect(loaded.filter((file) => FRAMEWORKS.some((fw) => file.includes(fw)))).toEqual([]);
  });

  test('loads only the identity model from src', () => {
    // GIVEN a fresh module registry
    // WHEN the root entry point is required
    const loaded = modulesLoadedBy(() => require('../../src/index'));
    // THEN the only source files are the entry point and src/model
    const sources = loaded.filter((file) => !file.includes('/node_modules/'));
    expect(sources.length).toBeGreaterThan(1);
    // (readDeclarationsFile reads a data file with the bounded reader of src/decode/files.ts, which
    // needs nothing but fs and path)
    expect(sources.filter((file) => !/\/src\/(index\.ts|(model|declarations|rules|rules\/shell|output)\/[^/]+\.ts|decode\/(files|read-error)\.ts)$/.test(file))).toEqual([]);
  });

  test('the check sees a framework when one is loaded', () => {
    // GIVEN a fresh module registry
    // WHEN cdk8s is required directly
    const loaded = modulesLoadedBy(() => require('cdk8s'));
    // THEN the check would catch it
    expect(loaded.some((file) => file.includes('/node_modules/cdk8s/'))).toBe(true);
  });

  test('exports the model\'s public names', () => {
    // GIVEN the root entry point
    // WHEN it is required
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const root = require('../../src/index') as Record<string, unknown>;
    // THEN the identity, its error and its helpers are exported
    for (const name of ['WorkloadIdentity', 'WorkloadIdentityError', 'ClusterKind', 'TrustMode', 'IamEndpoint', 'parseCrn', 'sdkEnvPrefix']) {
      expect(root[name]).toBeDefined();
    }
  });
});
