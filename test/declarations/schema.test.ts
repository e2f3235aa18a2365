// The JSON Schema of the declarations file, generated from the loader's shape table: what it
// accepts the loader accepts, what it refuses the loader refuses, and the checks only the
// loader can make are listed (here and in docs/data-file.md).
import * as fs from 'fs';
import * as path from 'path';
import Ajv from 'ajv';
import * as YAML from 'yaml';
import { DeclarationError, declarationsJsonSchema, workloadDeclarationsFromData } from '../../src';

const ROOT = path.resolve(__dirname, '..', '..');
const IKS_CRN = 'crn:v1:bluemix:public:containers-kubernetes:us-south:a/0123456789abcdef0123456789abcdef:cq5l0v8d0h4b7f3kq2pg::';
const ROKS_CRN = 'crn:v1:bluemix:public:containers-kubernetes:eu-de:a/0123456789abcdef0123456789abcdef:cr7m1w9e1i5c8g4lr3qh::';
const SM = '5a4e5e2c-8f3b-4d8e-9c51-2b7f0e6d1a93';

// Strict: a schema keyword ajv does not know, or a required key without a property, fails here.
const validate = new Ajv({ allErrors: true, strict: true }).compile(declarationsJsonSchema());

function entry(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    name: 'payments-api',
    serviceAccount: { namespace: 'payments' },
    clusters: [{ kind: 'IKS', crn: IKS_CRN }],
    workload: { image: 'icr.io/payments/api:1.0.0' },
    ...overrides,
  };
}
const file = (...entries: Record<string, unknown>[]) => ({ identities: entries });

function loaderRefuses(data: unknown): boolean {
  try {
    workloadDeclarationsFromData(data, 'identities.yaml');
    return false;
  } catch (e) {
    if (e instanceof DeclarationError) return true;
    throw e;
  }
}

const EVERY_KEY = entry({
  profileName: 'payments-api-profile',
  description: 'Payments: reads its secrets',
  additionalServiceAccounts: [{ namespace: 'payments-jobs', name: 'batch' }],
  clusters: [{ kind: 'IKS', crn: IKS_CRN }, { kind: 'ROKS', crn: ROKS_CRN }],
  trust: 'claim-rule',
  restrictClaimRulesToClusters: true,
  accessGroups: ['AccessGroup-0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d'],
  policies: [
    { name: 'read-secrets', roles: ['SecretsReader'], resources: { service: 'secrets-manager', resourceInstanceId: SM }, timeConditions: { weekly: { days: [1, 2, 3, 4, 5], from: '09:00:00', to: '17:00:00' } } },
    { preset: 'objectStorageBucketRead', instance: SM, bucket: 'invoices', timeConditions: { weeklyAllDay: { days: [6, 7] } } },
    { preset: 'keyProtectUse', instance: SM, keyRingId: 'payments' },
    { preset: 'containerRegistryPull', namespace: 'payments', region: 'us-south' },
  ],
  token: { expirationSeconds: 3600, mountPath: '/var/run/secrets/tokens/iam', fileName: 'token' },
  iamEndpoint: 'private',
  sdkServices: ['secrets_manager'],
  workload: { image: 'icr.io/payments/api:1.0.0', replicas: 2, port: 8080, clusterKind: 'IKS' },
});

describe('every valid declarations file validates', () => {
  test('the platform example validates, and the loader accepts it', () => {
    // GIVEN examples/platform/identities.yaml, parsed as the loader parses it
    const data = YAML.parse(fs.readFileSync(path.join(ROOT, 'examples', 'platform', 'identities.yaml'), 'utf8'), { merge: true });
    // THEN the schema and the loader both accept it
    expect(validate(data) ? [] : validate.errors).toEqual([]);
    expect(loaderRefuses(data)).toBe(false);
  });

  test.each<[string, unknown]>([
    ['an entry with every key, presets and time conditions', file(EVERY_KEY)],
    ['the least entry', file(entry())],
    ['x- keys beside identities', { 'x-clusters': { prod: [{ kind: 'IKS', crn: IKS_CRN }] }, identities: [entry()] }],
    ['a cluster found by lookup', file(entry({ clusters: [{ kind: 'IKS', lookup: { nameOrId: 'prod-us-south', infrastructure: 'vpc' } }] }))],
  ])('%s validates and loads', (_name, data) => {
    expect(loaderRefuses(data)).toBe(false);
    expect(validate(data) ? [] : validate.errors).toEqual([]);
  });
});

describe('what the schema refuses, the loader refuses', () => {
  test.each<[string, unknown]>([
    ['no identities list', {}],
    ['an unknown top-level key', { identity: [], identities: [] }],
    ['a misspelt entry key', file(entry({ namesapce: 'x' }))],
    ['a number where a string belongs', file(entry({ name: 42 }))],
    ['an empty YAML value (null)', file(entry({ description: null }))],
    ['an object where a list belongs', file(entry({ clusters: { kind: 'IKS', crn: IKS_CRN } }))],
    ['a cluster kind in the wrong case', file(entry({ clusters: [{ kind: 'iks', crn: IKS_CRN }] }))],
    ['a quoted whole number', file(entry({ token: { expirationSeconds: '3600' } }))],
    ['a missing name', file((({ name, ...rest }) => rest)(entry()))],
    ['a missing serviceAccount namespace', file(entry({ serviceAccount: { name: 'api' } }))],
    ['a missing workload', file((({ workload, ...rest }) => rest)(entry()))],
    ['a workload with a replica count out of range', file(entry({ workload: { image: 'icr.io/a/b:1.0.0', replicas: 0 } }))],
    ['a workload with an unknown key', file(entry({ workload: { image: 'icr.io/a/b:1.0.0', tag: '1' } }))],
    ['"$(" in a name that reaches the pods\' environment', file(entry({ profileName: 'a$(b)' }))],
    ['"${" in a value that reaches Terraform', file(entry({ policies: [{ name: 'p', roles: ['Reader'], resources: { service: 'kms', resourceInstanceId: '${var.x}' } }] }))],
    ['a control character in a description', file(entry({ description: 'a\u0007b' }))],
    ['an unknown preset', file(entry({ policies: [{ preset: 'secretManagerRead', instance: SM }] }))],
    ['a preset without its required option', file(entry({ policies: [{ preset: 'objectStorageBucketRead', instance: SM }] }))],
    ['a preset with an option of another preset', file(entry({ policies: [{ preset: 'secretsManagerRead', instance: SM, bucket: 'x' }] }))],
    ['a policy without roles', file(entry({ policies: [{ name: 'p', resources: { service: 'kms' } }] }))],
    ['two kinds of time condition', file(entry({ policies: [{ preset: 'secretsManagerRead', instance: SM, timeConditions: { weeklyAllDay: { days: [1] }, once: { from: '2027-01-01T00:00:00+00:00', to: '2027-01-02T00:00:00+00:00' } } }] }))],
    ['no kind of time condition', file(entry({ policies: [{ preset: 'secretsManagerRead', instance: SM, timeConditions: {} }] }))],
    ['a weekly condition without its end', file(entry({ policies: [{ preset: 'secretsManagerRead', instance: SM, timeConditions: { weekly: { days: [1], from: '09:00:00' } } }] }))],
  ])('%s', (_name, data) => {
    // GIVEN data the schema refuses
    expect(validate(data)).toBe(false);
    // THEN the loader refuses it too
    expect(loaderRefuses(data)).toBe(true);
  });
});

/**
 * The checks a JSON Schema cannot express, or that this schema leaves to the loader: each is
 * accepted by the schema and refused by the loader. docs/data-file.md lists the same.
 */
const LOADER_ONLY: Array<[string, unknown]> = [
  ['two entries with one name (uniqueness across entries)', file(entry(), entry({ serviceAccount: { namespace: 'other' } }))],
  ['two entries trusting one service account', file(entry(), entry({ name: 'orders-api', serviceAccount: { namespace: 'payments', name: 'payments-api' } }))],
  ['a CRN that is not a cluster CRN (CRN structure)', file(entry({ clusters: [{ kind: 'IKS', crn: 'crn:v1:bluemix:public:kms:us-south:a/0123456789abcdef0123456789abcdef:x::' }] }))],
  ['a name that is not a DNS-1123 label', file(entry({ name: 'Payments_API' }))],
  ['a token lifetime IAM refuses', file(entry({ token: { expirationSeconds: 7200 } }))],
  ['a time not written HH:MM:SS', file(entry({ policies: [{ preset: 'secretsManagerRead', instance: SM, timeConditions: { weekly: { days: [1], from: '9:00', to: '17:00:00' } } }] }))],
  ['a day outside 1 to 7', file(entry({ policies: [{ preset: 'secretsManagerRead', instance: SM, timeConditions: { weeklyAllDay: { days: [8] } } }] }))],
  ['a Key Protect preset with both a key and a key ring', file(entry({ policies: [{ preset: 'keyProtectUse', instance: SM, keyId: 'k', keyRingId: 'r' }] }))],
  ['an image not pinned by tag or digest', file(entry({ workload: { image: 'icr.io/payments/api' } }))],
  ['an IAM endpoint that is not public, private or https', file(entry({ iamEndpoint: 'http://iam.example' }))],
  ['clusters of both kinds without a workload clusterKind', file(entry({ clusters: [{ kind: 'IKS', crn: IKS_CRN }, { kind: 'ROKS', crn: ROKS_CRN }] }))],
  ['more trusted profiles than an IAM account holds (account limits)', file(...Array.from({ length: 2001 }, (_, i) => entry({ name: `app-${i}`, serviceAccount: { namespace: `ns-${i}` } })))],
];

describe('what only the loader checks', () => {
  test.each(LOADER_ONLY)('%s: the schema accepts it, the loader refuses it', (_name, data) => {
    expect(validate(data) ? [] : validate.errors).toEqual([]);
    expect(loaderRefuses(data)).toBe(true);
  });

  test('docs/data-file.md lists each of them', () => {
    const doc = fs.readFileSync(path.join(ROOT, 'docs', 'data-file.md'), 'utf8');
    const section = doc.slice(doc.indexOf('## The JSON Schema'));
    for (const [name] of LOADER_ONLY) expect(section).toContain(name.replace(/ \(.*\)$/, ''));
  });
});

test('the schema the build ships is the one the shape table makes', () => {
  // GIVEN lib/identities.schema.json, written by `npm run build`
  const shipped = JSON.parse(fs.readFileSync(path.join(ROOT, 'lib', 'identities.schema.json'), 'utf8'));
  // THEN it is what declarationsJsonSchema() returns now
  expect(shipped).toEqual(declarationsJsonSchema());
});

test('the package exports the schema by its documented name', () => {
  const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
  expect(pkg.exports['./identities.schema.json']).toBe('./lib/identities.schema.json');
});

test('the platform example points editors at the schema', () => {
  const first = fs.readFileSync(path.join(ROOT, 'examples', 'platform', 'identities.yaml'), 'utf8').split('\n')[0];
  expect(first).toBe('# yaml-language-server: $schema=../../lib/identities.schema.json');
  expect(fs.existsSync(path.join(ROOT, 'examples', 'platform', '../../lib/identities.schema.json'))).toBe(true);
});
