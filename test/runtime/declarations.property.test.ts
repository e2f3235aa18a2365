// Property-based: generated declarations, valid and invalid. A valid one always synthesizes,
// byte-identical across two runs, into manifests that pass the Kubernetes schema and Pod
// Security "restricted", and Terraform JSON that passes the provider schema. An invalid one
// always throws a WorkloadIdentityError naming every broken field.
import { App, Chart } from 'cdk8s';
import * as fc from 'fast-check';
import {
  AccessPolicyProps,
  ClusterKind,
  ClusterProps,
  IamEndpoint,
  MAX_IDENTITY_NAME_LENGTH,
  TerraformIds,
  PolicyResourceAttribute,
  TrustMode,
  WorkloadIdentity,
  WorkloadIdentityError,
  WorkloadIdentityProps,
} from '../../src';
import { checkPodSecurityRestricted, formatPodSecurityViolation, TokenFetchJob, WorkloadIdentityDeployment, WorkloadIdentityServiceAccount } from '../../src/k8s';
import { kubernetesSchemaErrors } from '../support/kubernetes-schema';
import { synthKubernetes, synthTerraform } from '../support/synth';
import { terraformSchemaProblems } from '../support/terraform-schema';

// Synthesis of both sides takes tens of milliseconds; these bounds keep the file near 10 s on 2 cores.
const VALID_RUNS = 60;
const INVALID_RUNS = 150;
const BOUNDARY_RUNS = 80;
jest.setTimeout(60_000);

// ---------------------------------------------------------------- valid declarations

const ALNUM = [...'abcdefghijklmnopqrstuvwxyz0123456789'];
const alnum = fc.constantFrom(...ALNUM);
const labelChar = fc.constantFrom(...ALNUM, '-');
/** A DNS-1123 label of `min`..`max` characters, lengths spread evenly so long ones come up. */
const label = (min: number, max: number) => fc.integer({ min, max }).chain((n) => (n === 1
  ? alnum
  : fc.tuple(alnum, fc.string({ unit: labelChar, minLength: n - 2, maxLength: n - 2 }), alnum).map(([a, m, z]) => a + m + z)));
const subdomain = fc.array(label(1, 20), { minLength: 1, maxLength: 4 }).map((parts) => parts.join('.'));
const hex = (n: number) => fc.string({ unit: fc.constantFrom(...'0123456789abcdef'), minLength: n, maxLength: n });
const region = fc.constantFrom('us-south', 'us-east', 'eu-de', 'eu-gb', 'jp-tok', 'au-syd');
/**
 * Free text for profile names and descriptions: any Unicode without surrounding spaces or
 * control characters, and without "${", "%{" and "$(", which profile names refuse (the tests
 * at the end cover them).
 */
const freeText = fc.string({ unit: 'grapheme', minLength: 1, maxLength: 30 })
  .filter((s) => s === s.trim() && s !== '' && !/[\u0000-\u001f\u007f-\u009f]/.test(s) && !/[$%]\{|\$\(/.test(s));

const kind = fc.constantFrom(ClusterKind.IKS, ClusterKind.ROKS);
const crnCluster = fc.record({ kind, region, account: hex(32), id: fc.string({ unit: alnum, minLength: 20, maxLength: 20 }) })
  .map((c): ClusterProps => ({ kind: c.kind, crn: `crn:v1:bluemix:public:containers-kubernetes:${c.region}:a/${c.account}:${c.id}::` }));
const lookupCluster = fc.record({
  kind,
  nameOrId: fc.tuple(alnum, fc.string({ unit: fc.constantFrom(...ALNUM, '-', '_'), maxLength: 30 })).map(([a, b]) => a + b),
  resourceGroupId: fc.option(hex(32), { nil: undefined }),
}).map((c): ClusterProps => ({ kind: c.kind, lookup: { nameOrId: c.nameOrId, ...(c.resourceGroupId ? { resourceGroupId: c.resourceGroupId } : {}) } }));
const clusterKey = (c: ClusterProps) => c.crn?.split(':')[7] ?? c.lookup!.nameOrId;
const clusters = fc.uniqueArray(fc.oneof(crnCluster, lookupCluster), { minLength: 1, maxLength: 4, selector: clusterKey });

const roles = fc.uniqueArray(fc.constantFrom('Viewer', 'Operator', 'Editor', 'Reader', 'Writer', 'SecretsReader'), { minLength: 1, maxLength: 3 });
const condition = fc.record({
  name: fc.constantFrom('serviceName', 'accountId', 'resourceGroupId', 'serviceInstance'),
  value: fc.string({ unit: labelChar, minLength: 1, maxLength: 20 }),
  operator: fc.constantFrom('stringEquals', 'stringMatch'),
}, { requiredKeys: ['name', 'value'] });
const scope = fc.oneof(
  fc.record({
    resources: fc.record({
      service: fc.constantFrom('secrets-manager', 'cloud-object-storage', 'kms'),
      resourceInstanceId: fc.uuid(),
      region,
      resourceGroupId: hex(32),
      resourceType: fc.constantFrom('secret-group', 'bucket'),
    }, { requiredKeys: ['service'] }),
  }),
  fc.record({ resourceAttributes: fc.array(condition, { minLength: 1, maxLength: 3 }) }),
  fc.constant({ accountManagement: true }),
);
const policy = fc.tuple(label(1, 40), roles, scope, fc.option(freeText, { nil: undefined }), fc.array(condition, { maxLength: 2 }))
  .map(([name, r, s, description, tags]): AccessPolicyProps => {
    const base = { name, roles: r, ...(description ? { description } : {}) };
    // IAM takes access tags only on a policy for all IAM-enabled services, where only the roles
    // every service has exist (issue 9).
    if (tags.length) return { ...base, roles: r.includes('SecretsReader') && r.length === 1 ? ['Reader'] : r.filter((x) => x !== 'SecretsReader'), resources: { serviceType: 'service' }, resourceTags: tags };
    return { ...base, ...withServiceName(s) };
  });
/** IAM needs a service (or type, group, resource group) in an attribute scope; a service also finds service roles. */
function withServiceName(s: Partial<AccessPolicyProps>): Partial<AccessPolicyProps> {
  const attrs: readonly PolicyResourceAttribute[] | undefined = s.resourceAttributes;
  return attrs && !attrs.some((a) => a.name === 'serviceName') ? { ...s, resourceAttributes: [{ name: 'serviceName', value: 'kms' }, ...attrs] } : s;
}

const endpoint = fc.oneof(
  fc.constant(IamEndpoint.PUBLIC),
  fc.constant(IamEndpoint.PRIVATE),
  region.map((r) => IamEndpoint.privateRegional(r)),
  // A proxy's host name; the last label is alphabetic (a numeric one would make it an IPv4 address).
  fc.array(label(1, 20), { minLength: 1, maxLength: 3 }).map((host) => IamEndpoint.fromUrl(`https://${host.join('.')}.example`)),
);
const sdkService = fc.tuple(fc.constantFrom(...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ'), fc.string({ unit: fc.constantFrom(...ALNUM, '_', '-', 'Q'), maxLength: 20 }))
  .map(([a, b]) => a + b);
const token = fc.record({
  expirationSeconds: fc.integer({ min: 600, max: 3600 }),
  // Not /tmp: the token-fetch Job refuses it by design (its scratch directory), naming token.mountPath.
  mountPath: fc.array(label(1, 12), { minLength: 1, maxLength: 4 }).map((p) => `/${p.join('/')}`).filter((p) => p !== '/tmp'),
  fileName: fc.tuple(fc.constantFrom(...ALNUM, '_', '-'), fc.string({ unit: fc.constantFrom(...ALNUM, '.', '_', '-'), maxLength: 20 })).map(([a, b]) => a + b),
}, { requiredKeys: [] });

const validProps: fc.Arbitrary<WorkloadIdentityProps> = fc.record({
  // At most 51: the token-fetch Job is "<name>-token-fetch", a label of at most 63 characters.
  name: label(1, MAX_IDENTITY_NAME_LENGTH),
  profile: fc.oneof(
    fc.constant({}),
    fc.record({ profileName: freeText, description: freeText }, { requiredKeys: [] }),
    fc.uuid().map((id) => ({ existingProfile: { name: 'shared-profile', id: `Profile-${id}` } })),
  ),
  serviceAccount: fc.record({ namespace: label(1, 63), name: subdomain }, { requiredKeys: ['namespace'] }),
  additional: fc.array(fc.record({ namespace: label(1, 30), name: subdomain }), { maxLength: 2 }),
  clusters,
  trust: fc.constantFrom(TrustMode.LINK, TrustMode.CLAIM_RULE),
  policies: fc.uniqueArray(policy, { maxLength: 3, selector: (p) => p.name }),
  token: fc.option(token, { nil: undefined }),
  iamEndpoint: fc.option(endpoint, { nil: undefined }),
  sdkServices: fc.uniqueArray(sdkService, { maxLength: 3, selector: (s) => s.toUpperCase().replace(/-/g, '_') }),
}).map((g) => {
  const primary = `${g.serviceAccount.namespace}/${g.serviceAccount.name ?? g.name}`;
  const additional = g.additional.filter((sa, i) => `${sa.namespace}/${sa.name}` !== primary
    && g.additional.findIndex((o) => o.namespace === sa.namespace && o.name === sa.name) === i);
  return {
    name: g.name,
    ...g.profile,
    serviceAccount: g.serviceAccount,
    ...(additional.length ? { additionalServiceAccounts: additional } : {}),
    clusters: g.clusters,
    trust: g.trust,
    policies: g.policies,
    ...(g.token ? { token: g.token } : {}),
    ...(g.iamEndpoint ? { iamEndpoint: g.iamEndpoint } : {}),
    sdkServices: g.sdkServices,
    ...(g.policies.some((p) => p.accountManagement) ? { acknowledgements: [{ ruleId: 'IWI-P2', reason: 'generated declaration: account management on purpose' }] } : {}),
  };
}).filter((p) => !linkIdsCollide(p));

/** Whether two links would get one construct ID, which the model refuses (test/model/derived-names.test.ts covers it). */
function linkIdsCollide(p: WorkloadIdentityProps): boolean {
  const ids = new Set<string>();
  for (const c of p.clusters) {
    for (const sa of [p.serviceAccount, ...(p.additionalServiceAccounts ?? [])]) {
      const id = TerraformIds.link(clusterKey(c), { namespace: sa.namespace, name: sa.name ?? p.name });
      if (ids.has(id)) return true;
      ids.add(id);
    }
  }
  return false;
}

/** Both sides of a declaration, as the bytes a user's synth would write. */
function synthesize(props: WorkloadIdentityProps): { yaml: string; manifests: any[]; terraform: string } {
  const identity = new WorkloadIdentity(props);
  const app = new App();
  const chart = new Chart(app, identity.name, { namespace: identity.serviceAccount.namespace });
  new WorkloadIdentityServiceAccount(chart, 'ServiceAccount', { identity });
  new WorkloadIdentityDeployment(chart, 'Deployment', { identity, containers: [{ name: 'app', image: 'icr.io/team/app:1.0.0', portNumber: 8080 }] });
  const kinds = new Set(identity.clusters.map((c) => c.kind));
  new TokenFetchJob(chart, 'TokenFetch', {
    identity,
    ...(kinds.size > 1 ? { clusterKind: identity.clusters[0].kind } : {}),
  });
  return { yaml: app.synthYaml(), manifests: chart.toJson(), terraform: synthTerraform(identity) };
}

describe('valid declarations', () => {
  test('synthesize byte-identical, schema-valid output on both sides', () => {
    fc.assert(fc.property(validProps, (props) => {
      // GIVEN a generated valid declaration
      // WHEN it is synthesized twice, from scratch
      const first = synthesize(props);
      const second = synthesize(props);

      // THEN both runs wrote the same bytes
      expect(second.yaml).toBe(first.yaml);
      expect(second.terraform).toBe(first.terraform);
      // AND every manifest passes the Kubernetes schema and Pod Security "restricted"
      expect(kubernetesSchemaErrors(first.manifests)).toEqual([]);
      expect(checkPodSecurityRestricted(first.manifests).map(formatPodSecurityViolation)).toEqual([]);
      // AND every ibm_* block passes the provider schema
      expect(terraformSchemaProblems(JSON.parse(first.terraform))).toEqual([]);
    }), { numRuns: VALID_RUNS });
  });
});

// ---------------------------------------------------------------- names at the boundaries

/** A label-like name of exactly `n` characters: `a`s, or digits first, or with a hyphen at an edge. */
const nameOfLength = (n: number) => fc.constantFrom(
  'a'.repeat(n),
  `1${'b'.repeat(Math.max(0, n - 1))}`,
  `-${'c'.repeat(Math.max(0, n - 1))}`,
  `${'d'.repeat(Math.max(0, n - 1))}-`,
  n > 2 ? `e-${'f'.repeat(n - 2)}` : 'e',
  n > 2 ? `g.${'h'.repeat(n - 2)}` : 'g',
  n > 0 ? `${'I'.repeat(1)}${'j'.repeat(n - 1)}` : '',
).map((s) => s.slice(0, n));
const BOUNDARY_LENGTHS = [1, 50, 51, 52, 53, 62, 63, 64];
const boundaryName = fc.constantFrom(...BOUNDARY_LENGTHS).chain(nameOfLength);
/** Service-account names: dotted subdomains up to and past 253 characters, and the label boundaries. */
const boundarySaName = fc.oneof(
  boundaryName,
  fc.constantFrom(252, 253, 254).map((n) => Array.from({ length: Math.ceil(n / 50) }, () => 's'.repeat(49)).join('.').slice(0, n).replace(/\.$/, 's')),
  fc.constantFrom('api.runner', 'a..b', '.a', 'a.'),
);

/** The fields a boundary case varies, and the declaration. */
interface BoundaryChoice {
  readonly name: string;
  readonly namespace: string;
  readonly saName?: string;
  readonly extraNamespace?: string;
  readonly clusterKey?: string;
  readonly trust: TrustMode;
}

const boundaryCase = fc.record({
  name: boundaryName,
  namespace: fc.oneof({ arbitrary: boundaryName, weight: 1 }, { arbitrary: fc.constant('payments'), weight: 3 }),
  saName: fc.option(boundarySaName, { nil: undefined }),
  extraNamespace: fc.option(fc.oneof(boundaryName, fc.constantFrom('payments-x', 'x')), { nil: undefined }),
  clusterKey: fc.option(fc.constantFrom('prod', 'prod-payments', 'p-1', '-bad', 'x'.repeat(64)), { nil: undefined }),
  trust: fc.constantFrom(TrustMode.LINK, TrustMode.CLAIM_RULE),
}).map((c) => boundaryDeclaration(c));

/** The declaration of one boundary choice, and the fields its choices may make wrong. */
function boundaryDeclaration(c: BoundaryChoice) {
  return {
  varied: ['name', 'serviceAccount.namespace', 'serviceAccount.name', 'additionalServiceAccounts[0]', 'additionalServiceAccounts[0].namespace', 'clusters[0].key', 'clusters[1]', 'clusters[1].key'],
  props: {
    name: c.name,
    serviceAccount: { namespace: c.namespace, ...(c.saName === undefined ? {} : { name: c.saName }) },
    ...(c.extraNamespace === undefined ? {} : { additionalServiceAccounts: [{ namespace: c.extraNamespace, name: 'runner' }] }),
    clusters: [
      { kind: ClusterKind.IKS, crn: PLAIN.clusters[0].crn, ...(c.clusterKey === undefined ? {} : { key: c.clusterKey }) },
      { kind: ClusterKind.IKS, lookup: { nameOrId: 'prod' } },
    ],
    trust: c.trust,
  } as WorkloadIdentityProps,
  };
}

describe('names at the boundaries', () => {
  test('the model accepts only what both sides synthesize, and names the field of what it refuses', () => {
    const seen = { accepted: 0, refused: 0 };
    fc.assert(fc.property(boundaryCase, ({ varied, props }) => {
      // GIVEN a declaration with names at the length and syntax boundaries
      // WHEN the model checks it
      let identity: WorkloadIdentity | undefined;
      try {
        identity = new WorkloadIdentity(props);
        seen.accepted++;
      } catch (e) {
        seen.refused++;
        // THEN a refusal is the model's error, and names only fields the case varied
        expect(e).toBeInstanceOf(WorkloadIdentityError);
        for (const p of (e as WorkloadIdentityError).problems) expect(varied).toContain(p.field);
        return;
      }
      // THEN an accepted declaration synthesizes on both sides, with the default object names
      const manifests = synthKubernetes(identity);
      expect(kubernetesSchemaErrors(manifests)).toEqual([]);
      const job = manifests.find((m: any) => m.kind === 'Job');
      expect(job.metadata.name).toBe(`${identity.name}-token-fetch`);
      expect(job.metadata.name.length).toBeLessThanOrEqual(63);
      const terraform = JSON.parse(synthTerraform(identity));
      expect(terraformSchemaProblems(terraform)).toEqual([]);
      expect(Object.keys(terraform.output).every((o) => /^[A-Za-z_][A-Za-z0-9_-]*$/.test(o))).toBe(true);
    }), {
      numRuns: BOUNDARY_RUNS,
      // One case of each outcome always runs first: random cases alone were all refused in
      // some runs, which left the accepting half untested (and failed the count below).
      examples: [
        [boundaryDeclaration({ name: 'payments-api', namespace: 'payments', trust: TrustMode.LINK })],
        [boundaryDeclaration({ name: 'payments-api', namespace: 'payments', clusterKey: '-bad', trust: TrustMode.LINK })],
      ],
    });
    // AND the cases reached both outcomes, so neither half of the property went untested
    expect(seen.accepted).toBeGreaterThan(0);
    expect(seen.refused).toBeGreaterThan(0);
  });
});

// ---------------------------------------------------------------- invalid declarations

/** One way to break a declaration, and the field the error must name. */
interface Breakage {
  /** Breakages of one area are never combined, so each keeps its expected field. */
  readonly area: string;
  readonly apply: (p: any) => { props: any; field: string };
}

const set = (area: string, field: string, values: unknown[], put: (p: any, v: unknown) => void) =>
  fc.constantFrom(...values).map((v): Breakage => ({ area, apply: (p) => { put(p, v); return { props: p, field }; } }));
const BAD_LABELS = ['', 'Payments', '-api', 'api-', 'a_b', 'a.b', 'a'.repeat(64), ' api', 42, null];

const breakages: fc.Arbitrary<Breakage>[] = [
  set('name', 'name', BAD_LABELS, (p, v) => (p.name = v)),
  set('namespace', 'serviceAccount.namespace', BAD_LABELS, (p, v) => (p.serviceAccount = { ...p.serviceAccount, namespace: v })),
  set('sa-name', 'serviceAccount.name', ['', 'UPPER', 'a..b', '.a', 'a_b', 'a'.repeat(254), 7], (p, v) => (p.serviceAccount = { ...p.serviceAccount, name: v })),
  set('profile', 'profileName', [' x', 'x ', '', 'a\u0007b', 42], (p, v) => (p.profileName = v)),
  set('trust', 'trust', ['magic', 'LINK', 1], (p, v) => (p.trust = v)),
  set('token', 'token.expirationSeconds', [0, 599, 3601, 7200, 1.5, '3600'], (p, v) => (p.token = { ...p.token, expirationSeconds: v })),
  set('token', 'token.mountPath', ['relative', '/', '/a/', '/a/../b', '/a b', '/a:b'], (p, v) => (p.token = { ...p.token, mountPath: v })),
  set('token', 'token.fileName', ['', 'a/b', '..', 'a b'], (p, v) => (p.token = { ...p.token, fileName: v })),
  set('endpoint', 'iamEndpoint', [
    IamEndpoint.fromUrl('http://iam.cloud.ibm.com'), IamEndpoint.fromUrl('https://iam.cloud.ibm.com/identity/token'),
    IamEndpoint.fromUrl('https://iam.cloud.ibm.com/'), IamEndpoint.fromUrl('not a url'), 'https://iam.cloud.ibm.com',
  ], (p, v) => (p.iamEndpoint = v)),
  set('clusters', 'clusters', [[], 'crn:v1:x', undefined], (p, v) => (p.clusters = v)),
  fc.tuple(fc.nat(), fc.constantFrom(
    ['crn', 'crn:v1:bad'], ['crn', 'not-a-crn'], ['crn', `crn:v1:bluemix:public:secrets-manager:us-south:a/${'0'.repeat(32)}:abc::`],
    ['crn', `crn:v1:bluemix:public:containers-kubernetes:us-south:a/${'0'.repeat(32)}:::`], ['kind', 'EKS'], ['kind', undefined],
  )).map(([n, [what, value]]): Breakage => ({
    area: 'clusters',
    apply: (p) => {
      const i = n % p.clusters.length;
      const good = p.clusters[i];
      p.clusters = p.clusters.map((c: ClusterProps, j: number) => (j !== i ? c
        : what === 'crn' ? { kind: good.kind, crn: value } : { ...good, kind: value }));
      return { props: p, field: `clusters[${i}].${what}` };
    },
  })),
  fc.constant<Breakage>({
    area: 'clusters',
    apply: (p) => {
      p.clusters = [...p.clusters, p.clusters[0]];
      return { props: p, field: `clusters[${p.clusters.length - 1}]` };
    },
  }),
  fc.constantFrom<[string, any]>(
    ['name', { name: 'Read Secrets', roles: ['Reader'], resources: { service: 'kms' } }],
    ['roles', { name: 'read', roles: [], resources: { service: 'kms' } }],
    ['', { name: 'read', roles: ['Reader'] }],
    ['', { name: 'read', roles: ['Reader'], resources: { service: 'kms' }, accountManagement: true }],
    ['resources', { name: 'read', roles: ['Reader'], resources: {} }],
  ).map(([suffix, bad]): Breakage => ({
    area: 'policies',
    apply: (p) => {
      p.policies = [...(p.policies ?? []).filter((x: AccessPolicyProps) => x.name !== bad.name), bad];
      const field = `policies[${p.policies.length - 1}]${suffix ? `.${suffix}` : ''}`;
      return { props: p, field };
    },
  })),
  fc.constantFrom<[unknown, string]>([['1abc'], 'sdkServices[0]'], [['a b'], 'sdkServices[0]'], [[''], 'sdkServices[0]'], [['a-b', 'A_B'], 'sdkServices[1]'])
    .map(([value, field]): Breakage => ({ area: 'sdk', apply: (p) => { p.sdkServices = value; return { props: p, field }; } })),
  set('additional', 'additionalServiceAccounts[0].namespace', ['BAD', ''], (p, v) => (p.additionalServiceAccounts = [{ namespace: v }])),
];

const someBreakages = fc.uniqueArray(fc.oneof(...breakages), { minLength: 1, maxLength: 4, selector: (b) => b.area });

describe('invalid declarations', () => {
  test('always throw a WorkloadIdentityError naming every broken field', () => {
    fc.assert(fc.property(validProps, someBreakages, (valid, broken) => {
      // GIVEN a valid declaration broken in one to four unrelated ways
      let props: any = { ...valid };
      const fields: string[] = [];
      for (const b of broken) {
        const r = b.apply(props);
        props = r.props;
        fields.push(r.field);
      }

      // WHEN it is constructed
      let error: unknown;
      try {
        new WorkloadIdentity(props);
      } catch (e) {
        error = e;
      }

      // THEN it throws the model's error, whose problems and message name each broken field
      expect(error).toBeInstanceOf(WorkloadIdentityError);
      const named = (error as WorkloadIdentityError).problems.map((p) => p.field);
      for (const field of fields) {
        expect(named).toContain(field);
        expect((error as Error).message).toContain(`${field} is `);
      }
    }), { numRuns: INVALID_RUNS });
  });
});

// ---------------------------------------------------------------- known bugs (see the report of issue 3)

describe('template characters in free text', () => {
  test('a description with "${" reaches Terraform as literal text, not as an interpolation', () => {
    // GIVEN a description a user might well write
    const props = { ...PLAIN, description: 'Reads the ${env} secrets' };

    // WHEN it is synthesized
    const profile = Object.values<any>(JSON.parse(synthTerraform(new WorkloadIdentity(props))).resource.ibm_iam_trusted_profile)[0];

    // THEN Terraform would read the text the user wrote: "${" escaped as "$${"
    expect(profile.description).toBe('Reads the $${env} secrets');
  });

  test('a profile name with "$(" is refused, since Kubernetes would expand it in the pod environment', () => {
    // GIVEN a profile name that looks like a Kubernetes env reference ($(VAR) is expanded by the kubelet)
    const props = { ...PLAIN, profileName: 'team$(IBMCLOUD_CR_TOKEN)' };
    // WHEN the identity is built
    // THEN it is refused naming profileName and the characters
    expect(() => new WorkloadIdentity(props)).toThrow(/profileName is "team\$\(IBMCLOUD_CR_TOKEN\)"; .*"\$\("/);
  });
});

const PLAIN: WorkloadIdentityProps = {
  name: 'payments-api',
  serviceAccount: { namespace: 'payments' },
  clusters: [{ kind: ClusterKind.IKS, crn: `crn:v1:bluemix:public:containers-kubernetes:us-south:a/${'0'.repeat(32)}:cq5l0v8d0h4b7f3kq2pg::` }],
};
