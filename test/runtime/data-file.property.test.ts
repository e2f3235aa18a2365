// Property-based: arbitrary JSON-shaped data in a declarations file. The loader either returns
// identities that synthesize on both sides (every identity's ServiceAccount, Deployment and
// token-fetch Job in one cdk8s app, every trusted profile in one cdktf stack, as the platform
// example does) or throws a DeclarationError with a bounded message: never another exception.
import { App, Chart, Testing as K8sTesting } from 'cdk8s';
import { TerraformStack, Testing as TfTesting } from 'cdktf';
import * as fc from 'fast-check';
import { ClusterKind, DeclarationError, declarationsFromData, IdentityDeclaration } from '../../src';
import { TokenFetchJob, WorkloadIdentityDeployment, WorkloadIdentityServiceAccount } from '../../src/k8s';
import { ibm, WorkloadIdentityProfile } from '../../src/terraform';
import { IKS_CRN, ROKS_CRN } from '../support/synth';

// Each run synthesizes up to three identities on both sides; 120 runs take about a second.
// DATA_FILE_RUNS=3000 searches harder (about 12 s).
const RUNS = Number(process.env.DATA_FILE_RUNS ?? 120);
jest.setTimeout(60_000);

const INSTANCE = '5a4e5e2c-8f3b-4d8e-9c51-2b7f0e6d1a93';
const PROFILE_ID = `Profile-${INSTANCE}`;

/** Valid entries of every form a file holds; the mutations below break them. */
const BASE_ENTRIES: ReadonlyArray<(name: string) => Record<string, unknown>> = [
  (name) => ({ name, serviceAccount: { namespace: 'payments' }, clusters: [{ kind: 'IKS', crn: IKS_CRN }] }),
  (name) => ({
    name,
    profileName: `${name}-profile`,
    description: 'Reads the ${env} secrets\nof payments',
    serviceAccount: { namespace: 'orders', name: `${name}.runner` },
    additionalServiceAccounts: [{ namespace: 'orders-canary' }],
    clusters: [{ kind: 'ROKS', crn: ROKS_CRN }, { kind: 'IKS', lookup: { nameOrId: 'prod-eu', resourceGroupId: '0123456789abcdef0123456789abcdef' }, key: 'prod-eu' }],
    trust: 'claim-rule',
    policies: [
      { name: 'read-secrets', roles: ['SecretsReader'], description: 'read', resources: { service: 'secrets-manager', resourceInstanceId: INSTANCE, attributes: { secretGroupId: 'g1' } } },
      { name: 'by-tag', roles: ['Viewer'], resources: { serviceType: 'service' }, resourceTags: [{ name: 'env', value: 'prod' }] },
    ],
    token: { expirationSeconds: 1800, mountPath: '/var/run/secrets/iam', fileName: 'token' },
    iamEndpoint: 'private',
    sdkServices: ['secrets_manager', 'cloud-object-storage'],
    acknowledgements: [{ ruleId: 'IWI-P1', reason: 'reviewed by the platform team' }],
  }),
  (name) => ({
    name,
    existingProfile: { name: 'shared-readers', id: PROFILE_ID },
    serviceAccount: { namespace: 'reports', name },
    clusters: [{ kind: 'IKS', crn: IKS_CRN, key: 'prod' }],
    iamEndpoint: 'https://private.us-south.iam.cloud.ibm.com',
    policies: [{ name: 'time', roles: ['Reader'], resources: { service: 'kms' }, ruleConditions: [{ key: '{{environment.attributes.day_of_week}}', operator: 'dayOfWeekAnyOf', value: ['1+00:00', '2+00:00'] }], pattern: 'time-based-conditions:weekly:all-day' }],
  }),
];

/** Where a mutation may land: every field of an entry, at every depth, and keys nobody knows. */
const PATHS = [
  'name', 'profileName', 'description', 'serviceAccount', 'serviceAccount.namespace', 'serviceAccount.name',
  'additionalServiceAccounts', 'additionalServiceAccounts.0', 'additionalServiceAccounts.0.namespace',
  'existingProfile', 'existingProfile.name', 'existingProfile.id',
  'clusters', 'clusters.0', 'clusters.0.kind', 'clusters.0.crn', 'clusters.0.key', 'clusters.1', 'clusters.1.lookup', 'clusters.1.lookup.nameOrId',
  'trust', 'restrictClaimRulesToClusters',
  'policies', 'policies.0', 'policies.0.name', 'policies.0.roles', 'policies.0.roles.0', 'policies.0.description',
  'policies.0.resources', 'policies.0.resources.service', 'policies.0.resources.attributes', 'policies.0.resources.attributes.secretGroupId',
  'policies.0.resourceAttributes', 'policies.1.resourceTags.0', 'policies.0.ruleConditions', 'policies.0.ruleConditions.0.value',
  'policies.0.ruleOperator', 'policies.0.pattern', 'policies.0.accountManagement',
  'token', 'token.expirationSeconds', 'token.mountPath', 'token.fileName',
  'iamEndpoint', 'sdkServices', 'sdkServices.0', 'acknowledgements', 'acknowledgements.0', 'acknowledgements.0.ruleId', 'acknowledgements.0.reason',
  'namesapce', '__proto__', 'x-anchor',
];

const nested = (depth: number, leaf: unknown): unknown => {
  let v = leaf;
  for (let i = 0; i < depth; i++) v = i % 2 ? [v] : { a: v };
  return v;
};

/** Values a hostile or careless file holds. */
const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }),
  fc.constantFrom(
    null, 0, -1, 1.5, 1200, 600, 3600, true, false, '', ' ', 'IKS', 'ROKS', 'link', 'claim-rule', 'public', 'private',
    '${var.x}', '%{ if true }x%{ endif }', '$(HOME)', '$$(HOME)', 'a\u0000b', 'a\u0085b', 'a\u009bb', 'line\nfeed', '\t',
    '/tmp', '/var/run/tokens/$(X)', 'https://iam.example', 'https://$(X).example', 'https://iam.example/', 'http://iam.cloud.ibm.com',
    'IWI-P1', 'IWI-Z9', PROFILE_ID, 'Profile-x', IKS_CRN, `${IKS_CRN.slice(0, -2)}`, 'crn:v1:${x}', 'payments', 'a'.repeat(52), 'b'.repeat(64),
    [], {}, [null], [{}], { kind: 'IKS' }, ['a', 'A_B', 'a-b'],
  ),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.integer({ min: 0, max: 3 }).map((k) => 'x'.repeat(10 ** (k + 2))),
  fc.integer({ min: 10, max: 200 }).map((d) => nested(d, 'deep')),
);

const mutation = fc.record({ entry: fc.nat({ max: 2 }), path: fc.constantFrom(...PATHS), value: hostileValue });

const dataFile: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 4 }) },
  {
    weight: 6,
    arbitrary: fc.record({
      entries: fc.array(fc.tuple(fc.nat({ max: BASE_ENTRIES.length - 1 }), fc.constantFrom('payments-api', 'orders-api', 'reports', 'a', '1x')), { minLength: 1, maxLength: 3 }),
      mutations: fc.array(mutation, { maxLength: 4 }),
    }).map(({ entries, mutations }) => {
      const identities: Record<string, unknown>[] = entries.map(([form, name]) => structuredClone(BASE_ENTRIES[form](name)));
      for (const m of mutations) {
        if (m.entry < identities.length) setPath(identities[m.entry], m.path, m.value);
      }
      return { identities };
    }),
  },
);

/** Sets `path` (dot-separated, numbers index lists) in `target`, creating what is missing. */
function setPath(target: Record<string, any>, path: string, value: unknown): void {
  const keys = path.split('.');
  let at: any = target;
  for (const key of keys.slice(0, -1)) {
    if (at[key] === null || typeof at[key] !== 'object') Object.defineProperty(at, key, { value: {}, enumerable: true, writable: true, configurable: true });
    at = at[key];
  }
  // defineProperty, as JSON.parse does: "__proto__" becomes an own key, not the prototype.
  Object.defineProperty(at, keys[keys.length - 1], { value, enumerable: true, writable: true, configurable: true });
}

/** Both sides of the loaded declarations, as the platform example builds them; throws what they throw. */
function synthesizeBothSides(declarations: readonly IdentityDeclaration[]): void {
  const app = new App();
  const stack = new TerraformStack(TfTesting.app(), 'platform');
  new ibm.provider.IbmProvider(stack, 'ibm', { region: 'us-south' });
  for (const { identity } of declarations) {
    const chart = new Chart(app, identity.name, { namespace: identity.serviceAccount.namespace });
    new WorkloadIdentityServiceAccount(chart, 'sa', { identity });
    new WorkloadIdentityDeployment(chart, 'deployment', { identity, containers: [{ name: 'app', image: 'icr.io/team/app:1.0.0' }] });
    const kinds = new Set(identity.clusters.map((c) => c.kind));
    new TokenFetchJob(chart, 'token-fetch', { identity, clusterKind: kinds.size > 1 ? ClusterKind.IKS : undefined });
    expect(K8sTesting.synth(chart).length).toBe(3);
    // An existing profile without an ID is documented as Kubernetes-only: the provider looks
    // profiles up by ID, and the construct says so.
    if (identity.existingProfile && identity.existingProfile.id === undefined) {
      expect(() => new WorkloadIdentityProfile(new TerraformStack(TfTesting.app(), 'k8s-only'), identity.name, { identity }))
        .toThrow(/without existingProfile\.id/);
      continue;
    }
    new WorkloadIdentityProfile(stack, identity.name, { identity, outputs: false });
  }
  expect(() => JSON.parse(TfTesting.synth(stack))).not.toThrow();
}

describe('a declarations file of arbitrary data', () => {
  test('loads into identities that synthesize on both sides, or throws a bounded DeclarationError', () => {
    const seen = { loaded: 0, refused: 0 };
    fc.assert(fc.property(dataFile, (data) => {
      // GIVEN arbitrary data: valid entries broken at any depth with wrong types, hostile text,
      // huge strings and deep nesting, or any JSON at all
      // WHEN it is loaded
      let declarations: IdentityDeclaration[];
      try {
        declarations = declarationsFromData(data, 'identities.yaml');
      } catch (e) {
        // THEN a refusal is a DeclarationError whose message stays short per problem
        if (!(e instanceof DeclarationError)) throw e;
        expect(e.message.length).toBeLessThan(2000 * e.problems.length);
        seen.refused++;
        return;
      }
      // THEN what it accepts synthesizes on both sides
      synthesizeBothSides(declarations);
      seen.loaded++;
    }), { numRuns: RUNS });
    // AND both outcomes were reached, so neither half of the property went untested
    expect(seen.loaded).toBeGreaterThan(0);
    expect(seen.refused).toBeGreaterThan(0);
  });

  test('every base entry loads and synthesizes unbroken, so the mutations are what the loader refuses', () => {
    // GIVEN one entry of each form
    const data = { identities: BASE_ENTRIES.map((form, i) => form(['payments-api', 'orders-api', 'reports'][i])) };
    // WHEN loaded and synthesized THEN nothing fails
    synthesizeBothSides(declarationsFromData(data, 'identities.yaml'));
  });

  test('two identities attaching to one existing profile synthesize in one stack, as the loader allows', () => {
    // GIVEN two entries that attach to the same existing profile
    const data = { identities: [BASE_ENTRIES[2]('reports'), { ...BASE_ENTRIES[2]('billing'), serviceAccount: { namespace: 'billing' } }] };
    // WHEN loaded and synthesized into one stack THEN neither side refuses
    synthesizeBothSides(declarationsFromData(data, 'identities.yaml'));
  });
});
