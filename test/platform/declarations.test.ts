// The declarations loader: identities as parsed YAML/JSON data, every problem of the file in
// one error naming the file, the entry and the field.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { loadDeclarations } from '../../examples/platform/declarations';
import {
  ClusterKind,
  DeclarationError,
  declarationsFromData,
  IamEndpoint,
  identitiesFromData,
  TrustMode,
  WorkloadIdentityError,
} from '../../src';

const IKS_CRN = 'crn:v1:bluemix:public:containers-kubernetes:us-south:a/0123456789abcdef0123456789abcdef:cq5l0v8d0h4b7f3kq2pg::';
const ROKS_CRN = 'crn:v1:bluemix:public:containers-kubernetes:eu-de:a/0123456789abcdef0123456789abcdef:cr7m1w9e1i5c8g4lr3qh::';

/** A valid entry as a YAML file holds it; fields can be overridden. */
function entry(name: string, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    name,
    serviceAccount: { namespace: 'payments' },
    clusters: [{ kind: 'IKS', crn: IKS_CRN }],
    policies: [{ name: 'read-secrets', roles: ['SecretsReader'], resources: { service: 'secrets-manager', resourceInstanceId: '5a4e5e2c-8f3b-4d8e-9c51-2b7f0e6d1a93' } }],
    ...overrides,
  };
}

/** The DeclarationError that loading `data` throws; fails the test if it does not throw one. */
function errorOf(data: unknown, options?: Parameters<typeof declarationsFromData>[2]): DeclarationError {
  try {
    declarationsFromData(data, 'identities.yaml', options);
  } catch (e) {
    if (e instanceof DeclarationError) return e;
    throw e;
  }
  throw new Error('expected a DeclarationError, but the data was accepted');
}

describe('valid data', () => {
  test('builds one identity per entry, in file order', () => {
    // GIVEN two entries
    const data = { identities: [entry('payments-api'), entry('payments-worker')] };
    // WHEN the data is loaded
    const identities = identitiesFromData(data, 'identities.yaml');
    // THEN each is a validated identity, in the same order
    expect(identities.map((i) => i.name)).toEqual(['payments-api', 'payments-worker']);
    expect(identities[1].serviceAccount).toEqual({ namespace: 'payments', name: 'payments-worker' });
  });

  test('reads cluster kinds and trust modes as the strings a YAML file holds', () => {
    // GIVEN an OpenShift identity trusted by claim rule
    const data = { identities: [entry('orders-api', { clusters: [{ kind: 'ROKS', crn: ROKS_CRN }], trust: 'claim-rule' })] };
    // WHEN the data is loaded
    const [identity] = identitiesFromData(data, 'identities.yaml');
    // THEN the strings map to the model's enums
    expect(identity.clusters[0].kind).toBe(ClusterKind.ROKS);
    expect(identity.trust).toBe(TrustMode.CLAIM_RULE);
  });

  test.each([
    ['public', IamEndpoint.PUBLIC.url],
    ['private', IamEndpoint.PRIVATE.url],
    ['https://private.us-south.iam.cloud.ibm.com', 'https://private.us-south.iam.cloud.ibm.com'],
  ])('reads iamEndpoint %j as %s', (value, url) => {
    // GIVEN an entry with that endpoint
    const data = { identities: [entry('payments-api', { iamEndpoint: value })] };
    // WHEN the data is loaded
    const [identity] = identitiesFromData(data, 'identities.yaml');
    // THEN the identity exchanges its token there
    expect(identity.iamEndpoint.url).toBe(url);
  });

  test('ignores top-level keys starting with x-, where YAML anchors live', () => {
    // GIVEN a file with an x- key beside the identities
    const data = { 'x-clusters': { prod: [{ kind: 'IKS', crn: IKS_CRN }] }, 'identities': [entry('payments-api')] };
    // WHEN the data is loaded
    // THEN the identity is built and the x- key is not a problem
    expect(identitiesFromData(data, 'identities.yaml')).toHaveLength(1);
  });

  test('passes an allowed extra key on to the caller, with the entry position', () => {
    // GIVEN an entry with a workload block that the caller allows
    const data = { identities: [entry('payments-api', { workload: { image: 'icr.io/payments/api:1.0.0' } })] };
    // WHEN the data is loaded with `workload` as an extra key
    const [declaration] = declarationsFromData(data, 'identities.yaml', { extraKeys: { workload: () => [] } });
    // THEN the declaration carries the block beside the identity
    expect(declaration.extra).toEqual({ workload: { image: 'icr.io/payments/api:1.0.0' } });
    expect(declaration.index).toBe(0);
  });
});

describe('problems of one entry', () => {
  test('names the file, the entry and the field, with the model\'s rule and fix', () => {
    // GIVEN a fourth entry whose token outlives IAM's maximum
    const data = { identities: [entry('a'), entry('b'), entry('c'), entry('payments-api', { serviceAccount: { namespace: 'other' }, token: { expirationSeconds: 7200 } })] };
    // WHEN the data is loaded
    const error = errorOf(data);
    // THEN the message is one line that points at the file, the entry and the field
    expect(error.message).toMatch(/^identities\.yaml: identities\[3\] \("payments-api"\): token\.expirationSeconds is 7200; IAM refuses projected tokens that live longer than 3600 s/);
  });

  test('reports a misspelt nested key by its full path and suggests the known one', () => {
    // GIVEN a service account with `namesapce` for `namespace`
    const data = { identities: [entry('payments-api', { serviceAccount: { namesapce: 'payments' } })] };
    // WHEN the data is loaded
    const error = errorOf(data);
    // THEN the unknown key is named, with the likely intended key
    const problem = error.problems.find((p) => p.field === 'serviceAccount.namesapce');
    expect(problem?.message).toBe('unknown key; did you mean "namespace"?');
    expect(error.message).toContain('identities.yaml: identities[0] ("payments-api"): serviceAccount.namesapce is "payments"; unknown key; did you mean "namespace"?');
  });

  test('reports an unknown key inside a list item with its index', () => {
    // GIVEN a policy with `role` for `roles`
    const data = { identities: [entry('payments-api', { policies: [{ name: 'read-secrets', role: ['Reader'], resources: { service: 'secrets-manager' } }] })] };
    // WHEN the data is loaded
    const error = errorOf(data);
    // THEN the key is reported at policies[0].role
    expect(error.problems.map((p) => p.field)).toContain('policies[0].role');
  });

  test('reports an unknown entry key that resembles no field by listing the known keys', () => {
    // GIVEN an entry with a key unlike any field
    const data = { identities: [entry('payments-api', { replicaCount: 3 })] };
    // WHEN the data is loaded
    const problem = errorOf(data).problems.find((p) => p.field === 'replicaCount');
    // THEN the message lists what an entry may hold
    expect(problem?.message).toMatch(/^unknown key; the known keys are name, profileName, .*serviceAccount/);
  });

  test('refuses an iamEndpoint that is neither public, private nor an https URL', () => {
    // GIVEN an endpoint given as a region name
    const data = { identities: [entry('payments-api', { iamEndpoint: 'us-south' })] };
    // WHEN the data is loaded
    const [problem] = errorOf(data).problems;
    // THEN the field and the accepted forms are named
    expect(problem).toMatchObject({ index: 0, field: 'iamEndpoint', value: 'us-south' });
    expect(problem.message).toContain('"public", "private"');
  });

  test('reports an entry that is not an object', () => {
    // GIVEN a list item that is a bare string
    const data = { identities: ['payments-api'] };
    // WHEN the data is loaded
    const [problem] = errorOf(data).problems;
    // THEN the entry is named by position
    expect(problem).toMatchObject({ index: 0, field: 'entry', value: 'payments-api' });
  });

  test('prefixes the problems of an extra key\'s check with the key', () => {
    // GIVEN a check that refuses the workload's image
    const check = () => [{ field: 'image', value: 'nginx', message: 'pin the image' }];
    const data = { identities: [entry('payments-api', { workload: { image: 'nginx' } })] };
    // WHEN the data is loaded with that check
    const [problem] = errorOf(data, { extraKeys: { workload: check } }).problems;
    // THEN the problem is at workload.image of the entry
    expect(problem).toMatchObject({ index: 0, identity: 'payments-api', field: 'workload.image', message: 'pin the image' });
  });
});

describe('problems of the whole file', () => {
  test('lists every problem of every entry in one error', () => {
    // GIVEN two broken entries and one good one
    const data = { identities: [
      entry('Payments'),
      entry('orders-api'),
      entry('reports', { clusters: [], token: { expirationSeconds: 100 } }),
    ] };
    // WHEN the data is loaded
    const error = errorOf(data);
    // THEN all three problems are reported, each on its own line
    expect(error.problems.map((p) => [p.index, p.field])).toEqual([[0, 'name'], [2, 'clusters'], [2, 'token.expirationSeconds']]);
    expect(error.message).toMatch(/^3 problems:\n {2}identities\.yaml: identities\[0\] \("Payments"\): name is "Payments"/);
    expect(error.message.split('\n').slice(1).map((l) => l.trim().slice(0, 29))).toEqual(['identities.yaml: identities[0', 'identities.yaml: identities[2', 'identities.yaml: identities[2']);
  });

  test('is a WorkloadIdentityError, so callers that catch the model\'s error catch it too', () => {
    // GIVEN a broken entry
    const data = { identities: [entry('payments-api', { clusters: [] })] };
    // WHEN the data is loaded
    // THEN the error is both a DeclarationError and a WorkloadIdentityError
    expect(errorOf(data)).toBeInstanceOf(WorkloadIdentityError);
  });

  test('refuses data without an identities list', () => {
    // GIVEN a file holding a bare list
    const data = [entry('payments-api')];
    // WHEN the data is loaded
    const error = errorOf(data);
    // THEN the message says what the file must hold, without an entry
    expect(error.message).toMatch(/^identities\.yaml: identities is \[.*; a declarations file holds a list of identities/);
  });

  test('refuses an unknown top-level key, suggesting "identities"', () => {
    // GIVEN `identites` beside the list
    const data = { identities: [entry('payments-api')], identites: [] };
    // WHEN the data is loaded
    const [problem] = errorOf(data).problems;
    // THEN the key is named, with the one the file may have
    expect(problem).toMatchObject({ index: -1, field: 'identites' });
    expect(problem.message).toContain('did you mean "identities"?');
  });

  test('reports a repeated identity name once, at the later entry', () => {
    // GIVEN a copied entry left with the same name
    const data = { identities: [entry('payments-api'), entry('orders-api'), entry('payments-api')] };
    // WHEN the data is loaded
    const error = errorOf(data);
    // THEN one problem names both entries; the profile and service account it implies are not repeated
    expect(error.problems).toHaveLength(1);
    expect(error.message).toBe('identities.yaml: identities[2] ("payments-api"): name is "payments-api"; identities[0] has the same name; the name names the Kubernetes objects and Terraform resources, so give each identity its own');
  });

  test('reports two identities with one trusted profile name', () => {
    // GIVEN a second identity that names the first one's profile
    const data = { identities: [entry('payments-api'), entry('payments-worker', { profileName: 'payments-api' })] };
    // WHEN the data is loaded
    const [problem] = errorOf(data).problems;
    // THEN the later entry's profileName is named, with the earlier entry
    expect(problem).toMatchObject({ index: 1, field: 'profileName', value: 'payments-api' });
    expect(problem.message).toMatch(/^identities\[0\] has the same trusted profile name; an identity creates its profile, whose name is unique in the account/);
  });

  test('reports two identities claiming one namespace and service account', () => {
    // GIVEN two identities that both name service account payments/runner
    const data = { identities: [
      entry('payments-api', { serviceAccount: { namespace: 'payments', name: 'runner' } }),
      entry('payments-worker', { serviceAccount: { namespace: 'payments', name: 'runner' } }),
    ] };
    // WHEN the data is loaded
    const [problem] = errorOf(data).problems;
    // THEN the later entry's service account is named, with the earlier entry
    expect(problem).toMatchObject({ index: 1, field: 'serviceAccount', value: { namespace: 'payments', name: 'runner' } });
    expect(problem.message).toMatch(/^identities\[0\] trusts the same namespace and service account; a pod runs as one service account/);
  });

  test('reports an additional service account that another identity trusts', () => {
    // GIVEN a second identity that also trusts the first one's service account
    const data = { identities: [
      entry('payments-api'),
      entry('payments-worker', { additionalServiceAccounts: [{ namespace: 'payments', name: 'payments-api' }] }),
    ] };
    // WHEN the data is loaded
    const [problem] = errorOf(data).problems;
    // THEN the additional service account is named by its position
    expect(problem).toMatchObject({ index: 1, field: 'additionalServiceAccounts[0]', value: { namespace: 'payments', name: 'payments-api' } });
  });

  test('allows several identities to attach to one existing trusted profile', () => {
    // GIVEN two identities that both attach to the profile "shared-readers"
    const existingProfile = { name: 'shared-readers', id: 'Profile-5a4e5e2c-8f3b-4d8e-9c51-2b7f0e6d1a93' };
    const data = { identities: [entry('payments-api', { existingProfile }), entry('orders-api', { existingProfile })] };
    // WHEN the data is loaded
    // THEN both identities are built, with that profile
    expect(identitiesFromData(data, 'identities.yaml').map((i) => i.profileName)).toEqual(['shared-readers', 'shared-readers']);
  });

  test('reports an identity creating a profile that another attaches to as existing', () => {
    // GIVEN an identity named like an existing profile that another identity attaches to
    const data = { identities: [entry('payments-api', { existingProfile: { name: 'shared-readers' } }), entry('shared-readers')] };
    // WHEN the data is loaded
    const [problem] = errorOf(data).problems;
    // THEN the later entry's (default) profile name is named
    expect(problem).toMatchObject({ index: 1, field: 'name', value: 'shared-readers' });
  });

  test('allows one service account name in two namespaces', () => {
    // GIVEN the same service account name in two namespaces
    const data = { identities: [
      entry('payments-api', { serviceAccount: { namespace: 'payments', name: 'runner' } }),
      entry('orders-api', { serviceAccount: { namespace: 'orders', name: 'runner' } }),
    ] };
    // WHEN the data is loaded
    // THEN both identities are built
    expect(identitiesFromData(data, 'identities.yaml')).toHaveLength(2);
  });
});

describe('types at every depth', () => {
  /** The one problem loading `overrides` on a valid entry gives; fails if there are more. */
  function onlyProblem(overrides: Record<string, unknown>) {
    const error = errorOf({ identities: [entry('payments-api', overrides)] });
    expect(error.problems.map((p) => p.field)).toHaveLength(1);
    return error.problems[0];
  }

  test('refuses a null description (an empty YAML value), naming the field and the fix', () => {
    // GIVEN `description:` left empty, which YAML reads as null
    // WHEN the data is loaded
    const problem = onlyProblem({ description: null });
    // THEN the field, the expected type and the fix are named, once
    expect(problem).toMatchObject({ field: 'description', value: null });
    expect(problem.message).toBe('expected a string, found null; give description a value, or remove the key (an empty YAML value is null)');
  });

  test.each([
    ['null', null, 'found null'],
    ['a number', 42, 'found a whole number'],
  ])('refuses a policy description that is %s, which cdktf would otherwise crash on', (_what, value, found) => {
    // GIVEN a policy whose description is not text
    const policies = [{ name: 'read-secrets', roles: ['SecretsReader'], description: value, resources: { service: 'secrets-manager' } }];
    // WHEN the data is loaded
    const problem = onlyProblem({ policies });
    // THEN the problem is at the policy's description, with file, entry and type in the message
    expect(problem.field).toBe('policies[0].description');
    expect(problem.message).toContain(`expected a string, ${found}`);
  });

  test('refuses a number where the token object belongs, instead of ignoring it', () => {
    // GIVEN `token: 1200`, meant as a lifetime
    // WHEN the data is loaded
    const problem = onlyProblem({ token: 1200 });
    // THEN it is refused, naming the keys the object has
    expect(problem).toMatchObject({ field: 'token', value: 1200 });
    expect(problem.message).toMatch(/^expected an object \{ expirationSeconds, mountPath, fileName \}, found a whole number; write token as a mapping of its keys/);
  });

  test('refuses a list where an object belongs, saying it is a list', () => {
    // GIVEN the service account written as a one-item list
    // WHEN the data is loaded
    const problem = onlyProblem({ serviceAccount: [{ namespace: 'payments' }] });
    // THEN the fix says to drop the "- "
    expect(problem.field).toBe('serviceAccount');
    expect(problem.message).toContain('found a list; write serviceAccount as a mapping of keys, not a "- " list');
  });

  test('refuses an object where a list belongs, saying to wrap it', () => {
    // GIVEN one cluster written without the list around it
    // WHEN the data is loaded
    const problem = onlyProblem({ clusters: { kind: 'IKS', crn: IKS_CRN } });
    // THEN the fix says to wrap it in a list
    expect(problem.field).toBe('clusters');
    expect(problem.message).toMatch(/^expected a list of objects \{ kind, crn, key, lookup \}, found an object; wrap it in a list/);
  });

  test('refuses a quoted number where a whole number belongs, once', () => {
    // GIVEN a token lifetime in quotes
    // WHEN the data is loaded
    const problem = onlyProblem({ token: { expirationSeconds: '3600' } });
    // THEN the loader's problem is the only one (the model does not repeat it)
    expect(problem).toMatchObject({ field: 'token.expirationSeconds', value: '3600' });
    expect(problem.message).toContain('expected a whole number, found a string');
  });

  test('checks the deepest values: a policy attribute that is not a string', () => {
    // GIVEN an attribute value that is a number, four levels down
    const policies = [{ name: 'read', roles: ['Reader'], resources: { service: 'kms', attributes: { keyRing: 7 } } }];
    // WHEN the data is loaded
    const problem = onlyProblem({ policies });
    // THEN the full path is named
    expect(problem.field).toBe('policies[0].resources.attributes.keyRing');
  });

  test('keeps list positions: a bad first cluster does not shift the second one\'s index', () => {
    // GIVEN a bare string as the first cluster and a cluster with a bad kind second
    // WHEN the data is loaded
    const error = errorOf({ identities: [entry('payments-api', { clusters: ['prod', { kind: 'EKS', crn: IKS_CRN }] })] });
    // THEN each is named by its position in the file
    expect(error.problems.map((p) => p.field)).toEqual(['clusters[0]', 'clusters[1].kind']);
    expect(error.problems[1].message).toContain('expected one of "IKS", "ROKS"');
  });

  test('refuses an enum value in the wrong case, listing the accepted values', () => {
    // GIVEN trust written as the TypeScript enum's key
    // WHEN the data is loaded
    const problem = onlyProblem({ trust: 'LINK' });
    // THEN the accepted strings are listed
    expect(problem.message).toContain('expected one of "link", "claim-rule", found a string');
  });

  test('refuses true written as a string', () => {
    // GIVEN restrictClaimRulesToClusters: "false"
    // WHEN the data is loaded
    const problem = onlyProblem({ trust: 'claim-rule', restrictClaimRulesToClusters: 'false' });
    // THEN it must be written without quotes
    expect(problem.message).toContain('write restrictClaimRulesToClusters as true or false, without quotes');
  });
});

describe('text that reaches Terraform or the kubelet', () => {
  test.each([
    ['token.mountPath', { token: { mountPath: '/tokens/$(HOME)' } }, '"$("'],
    ['iamEndpoint', { iamEndpoint: 'https://$(IAM_HOST).example' }, '"$("'],
    ['sdkServices[0]', { sdkServices: ['$(X)'] }, '"$("'],
    ['profileName', { profileName: 'team-${var.env}' }, '"${" or "%{"'],
    ['policies[0].resources.resourceGroupId', { policies: [{ name: 'read', roles: ['Reader'], resources: { service: 'kms', resourceGroupId: '%{ if true }x%{ endif }' } }] }, '"${" or "%{"'],
    ['clusters[0].lookup.nameOrId', { clusters: [{ kind: 'IKS', lookup: { nameOrId: '${data.x.id}' } }] }, '"${" or "%{"'],
  ])('refuses %s holding a template the place it lands would expand', (field, overrides, says) => {
    // GIVEN a value that the kubelet ($() or Terraform (${, %{) would expand
    // WHEN the data is loaded
    const error = errorOf({ identities: [entry('payments-api', overrides)] });
    // THEN the field is named with the sequence
    const problem = error.problems.find((p) => p.field === field);
    expect(problem?.message).toContain(says);
  });

  test('allows "${" in a description, which Terraform gets escaped', () => {
    // GIVEN a description that mentions a template
    // WHEN the data is loaded
    const [identity] = identitiesFromData({ identities: [entry('payments-api', { description: 'Reads ${env} secrets' })] }, 'identities.yaml');
    // THEN it is kept as written (the Terraform side escapes it)
    expect(identity.description).toBe('Reads ${env} secrets');
  });

  test.each([
    ['a C1 control character', 'payments\u0085api', 'U+0085'],
    ['DEL', 'payments\u007fapi', 'U+007F'],
    ['a line feed', 'payments\napi', 'U+000A'],
  ])('refuses %s in a profile name, escaping it in the message', (_what, profileName, code) => {
    // GIVEN a profile name with a control character
    // WHEN the data is loaded
    const error = errorOf({ identities: [entry('payments-api', { profileName })] });
    // THEN the character is named by code point, and the message holds no raw control character
    expect(error.problems[0].message).toContain(code);
    expect(error.message).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/);
  });

  test('allows line feeds and tabs in a description, and nothing else of the control characters', () => {
    // GIVEN a multi-line description (a YAML block scalar), and one with a bell
    const ok = { identities: [entry('payments-api', { description: 'Line one\n\tLine two\n' })] };
    const bad = { identities: [entry('payments-api', { description: 'Ring \u0007' })] };
    // WHEN both are loaded
    // THEN the first is accepted and the second refused at description
    expect(identitiesFromData(ok, 'identities.yaml')).toHaveLength(1);
    expect(errorOf(bad).problems[0]).toMatchObject({ field: 'description' });
  });
});

describe('hostile files', () => {
  test('quotes a 100,000-character name as a short excerpt with its length', () => {
    // GIVEN a name of 100,000 characters
    const name = 'a'.repeat(100_000);
    // WHEN the data is loaded
    const error = errorOf({ identities: [entry(name)] });
    // THEN the message stays short and gives the length
    expect(error.message.length).toBeLessThan(1000);
    expect(error.message).toContain('(100000 characters)');
  });

  test('bounds an unknown key of 100,000 characters in the field path', () => {
    // GIVEN an entry with a huge unknown key
    const data = { identities: [entry('payments-api', { ['k'.repeat(100_000)]: 1 })] };
    // WHEN the data is loaded
    const error = errorOf(data);
    // THEN the problem's field and message stay short
    expect(error.problems[0].field.length).toBeLessThan(60);
    expect(error.message.length).toBeLessThan(1000);
  });

  test('refuses 10,000 levels of nesting with a DeclarationError, not a RangeError', () => {
    // GIVEN a description nested 10,000 objects deep
    let deep: unknown = 'x';
    for (let i = 0; i < 10_000; i++) deep = { a: deep };
    // WHEN the data is loaded
    const error = errorOf({ identities: [entry('payments-api', { description: deep })] });
    // THEN one problem says the data nests too deep
    expect(error.problems).toHaveLength(1);
    expect(error.message).toContain('nests deeper than 64 levels');
  });

  test('refuses data that refers to itself, as a YAML alias to its own parent does', () => {
    // GIVEN an entry that contains itself
    const looped: Record<string, unknown> = entry('payments-api');
    looped.workload = looped;
    // WHEN the data is loaded
    // THEN it is refused as too deep, naming the file
    expect(errorOf({ identities: [looped] }).message).toMatch(/^identities\.yaml: .*nests deeper than 64 levels/);
  });

  test('refuses data that expands to more than a million values through shared references', () => {
    // GIVEN an alias bomb: 7 levels of 10 references to the level below
    let bomb: unknown = 'lol';
    for (let i = 0; i < 7; i++) bomb = Array(10).fill(bomb);
    // WHEN the data is loaded
    const started = Date.now();
    const error = errorOf({ 'x-bomb': bomb, 'identities': [entry('payments-api')] });
    // THEN it stops at the bound, quickly
    expect(error.message).toContain('more than 1,000,000 values');
    expect(Date.now() - started).toBeLessThan(5000);
  });

  test('reports a "__proto__" key as unknown and changes no prototype', () => {
    // GIVEN JSON with a "__proto__" key in an entry, as JSON.parse makes it
    const data = JSON.parse(`{"identities":[${JSON.stringify(entry('payments-api')).slice(0, -1)},"__proto__":{"polluted":true}}]}`);
    // WHEN the data is loaded
    const error = errorOf(data);
    // THEN the key is reported and no object gained the property
    expect(error.problems.map((p) => p.field)).toEqual(['__proto__']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('reading a YAML file (the platform example)', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'declarations-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  const write = (name: string, text: string) => {
    const file = path.join(dir, name);
    fs.writeFileSync(file, text);
    return file;
  };
  const readError = (file: string): Error => {
    try {
      loadDeclarations(file);
    } catch (e) {
      return e as Error;
    }
    throw new Error('expected the file to be refused');
  };

  test('refuses an alias bomb with a clear error, quickly', () => {
    // GIVEN "billion laughs": nine levels of ten aliases to the level below
    let text = 'x-0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n';
    for (let i = 1; i < 9; i++) text += `x-${i}: &l${i} [${Array(10).fill(`*l${i - 1}`).join(', ')}]\n`;
    const file = write('bomb.yaml', `${text}identities: []\n`);
    // WHEN it is read
    const started = Date.now();
    const error = readError(file);
    // THEN the error names the file and the bound, before anything expands
    expect(error.message).toMatch(/bomb\.yaml(:\d+:\d+)?: the YAML aliases expand to more than 20,000 alias uses/);
    expect(Date.now() - started).toBeLessThan(5000);
  });

  test('reads a file whose 2,000 entries share one anchor', () => {
    // GIVEN a large platform file using an anchor for the cluster list
    const entries = Array.from({ length: 2000 }, (_, i) => `  - { name: app-${i}, serviceAccount: { namespace: ns-${i} }, clusters: *clusters, workload: { image: "icr.io/a/b:1.0.0" } }`);
    const file = write('large.yaml', `x-clusters: &clusters [{ kind: IKS, crn: "${IKS_CRN}" }]\nidentities:\n${entries.join('\n')}\n`);
    // WHEN it is read THEN every identity is built
    expect(loadDeclarations(file)).toHaveLength(2000);
  });

  test('refuses YAML nested too deeply to read with a clear error', () => {
    // GIVEN a flow sequence nested 5,000 deep
    const file = write('deep.yaml', `identities: ${'['.repeat(5000)}${']'.repeat(5000)}\n`);
    // WHEN it is read THEN the error names the file and says to flatten it
    expect(readError(file).message).toMatch(/deep\.yaml(:\d+:\d+)?: the file nests too deeply to read .*flatten it/);
  });

  test('refuses a JSON file nested 10,000 deep with a DeclarationError', () => {
    // GIVEN JSON nested 10,000 deep in an x- key
    const file = write('deep.json', `{"x-deep": ${'['.repeat(10_000)}${']'.repeat(10_000)}, "identities": []}`);
    // WHEN it is read THEN the loader bounds it
    const error = readError(file);
    expect(error).toBeInstanceOf(DeclarationError);
    expect(error.message).toContain('nests deeper than 64 levels');
  });
});

describe('the fix of a wrongly typed list item', () => {
  test('speaks of the item, not of a key it does not have', () => {
    // GIVEN a cluster list holding a bare string
    const data = { identities: [entry('payments-api', { clusters: ['prod'] })] };
    // WHEN the data is loaded
    const [problem] = errorOf(data).problems;
    // THEN the fix says how to write an item
    expect(problem).toMatchObject({ field: 'clusters[0]', value: 'prod' });
    expect(problem.message).toBe('expected an object { kind, crn, key, lookup }, found a string; write each item as a mapping of its keys, e.g. "- { key: value }"');
  });

  test('names the key of a wrongly typed nested value by its own name', () => {
    // GIVEN a lookup written as a string
    const data = { identities: [entry('payments-api', { clusters: [{ kind: 'IKS', lookup: 'prod' }] })] };
    // WHEN the data is loaded
    const [problem] = errorOf(data).problems;
    // THEN the fix names "lookup"
    expect(problem.field).toBe('clusters[0].lookup');
    expect(problem.message).toContain('write lookup as a mapping of its keys, indented under "lookup:"');
  });
});
