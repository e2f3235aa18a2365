import {
  ClusterKind,
  IamEndpoint,
  KNOWN_RULE_IDS,
  TrustMode,
  WorkloadIdentity,
  WorkloadIdentityError,
  WorkloadIdentityProps,
} from '../../src';
import {
  captureError,
  expectOneProblem,
  IKS_CLUSTER_ID,
  IKS_CRN,
  propsWith,
  ROKS_CRN,
  validProps,
} from './fixtures';

describe('a valid declaration', () => {
  test('uses the identity name as the trusted profile name by default', () => {
    // GIVEN a declaration without profileName
    // WHEN it is built
    const identity = new WorkloadIdentity(validProps());
    // THEN the profile is named after the identity
    expect(identity.profileName).toBe('payments-api');
  });

  test('uses the identity name as the service account name by default', () => {
    // GIVEN a service account given only by namespace
    // WHEN the identity is built
    const identity = new WorkloadIdentity(validProps());
    // THEN the service account is named after the identity, in that namespace
    expect(identity.serviceAccount).toEqual({ namespace: 'payments', name: 'payments-api' });
  });

  test('keeps an explicit profile name and service account name', () => {
    // GIVEN a declaration that names the profile and the service account
    const props = propsWith({ profileName: 'Payments API (prod)', serviceAccount: { namespace: 'payments', name: 'api.runner' } });
    // WHEN it is built
    const identity = new WorkloadIdentity(props);
    // THEN both names are kept as given
    expect(identity.profileName).toBe('Payments API (prod)');
    expect(identity.serviceAccount.name).toBe('api.runner');
  });

  test('trusts the service account by link by default', () => {
    // GIVEN a declaration without trust
    // WHEN it is built
    const identity = new WorkloadIdentity(validProps());
    // THEN the trust is a link
    expect(identity.trust).toBe(TrustMode.LINK);
  });

  test('projects a 3600 s token for audience iam at /var/run/secrets/tokens/sa-token by default', () => {
    // GIVEN a declaration without token settings
    // WHEN it is built
    const identity = new WorkloadIdentity(validProps());
    // THEN the token is IBM's documented one
    expect(identity.token).toEqual({
      audience: 'iam',
      expirationSeconds: 3600,
      mountPath: '/var/run/secrets/tokens',
      fileName: 'sa-token',
      filePath: '/var/run/secrets/tokens/sa-token',
      volumeName: 'sa-token',
    });
  });

  test('exchanges the token at the public IAM endpoint by default', () => {
    // GIVEN a declaration without iamEndpoint
    // WHEN it is built
    const identity = new WorkloadIdentity(validProps());
    // THEN the endpoint is the public one
    expect(identity.iamEndpoint).toBe(IamEndpoint.PUBLIC);
    expect(identity.iamEndpoint.tokenUrl).toBe('https://iam.cloud.ibm.com/identity/token');
  });

  test('describes the profile by namespace and service account by default', () => {
    // GIVEN a declaration without description
    // WHEN it is built
    const identity = new WorkloadIdentity(validProps());
    // THEN the description names namespace/service account and the library
    expect(identity.description).toBe('Workload identity for payments/payments-api, managed by iks-workload-identity');
  });

  test('keeps an explicit description', () => {
    // GIVEN a declaration with a description
    // WHEN it is built
    const identity = new WorkloadIdentity(propsWith({ description: 'Payments API' }));
    // THEN the description is kept
    expect(identity.description).toBe('Payments API');
  });

  test('resolves a cluster CRN to its kind, compute-resource type, cluster ID and key', () => {
    // GIVEN one IKS cluster given by CRN
    // WHEN the identity is built
    const identity = new WorkloadIdentity(validProps());
    // THEN the cluster ID is read from the CRN and is the default key
    expect(identity.clusters).toEqual([
      { kind: ClusterKind.IKS, crType: 'IKS_SA', key: IKS_CLUSTER_ID, crn: IKS_CRN, clusterId: IKS_CLUSTER_ID, lookup: undefined },
    ]);
  });

  test('resolves a policy to its roles and resource shape', () => {
    // GIVEN one policy scoped by resources
    // WHEN the identity is built
    const identity = new WorkloadIdentity(validProps());
    // THEN the policy keeps its fields and records its shape
    expect(identity.policies).toHaveLength(1);
    expect(identity.policies[0]).toMatchObject({
      name: 'read-payments-secrets',
      roles: ['SecretsReader'],
      shape: 'resources',
      resources: { service: 'secrets-manager', resourceInstanceId: '5a4e5e2c-8f3b-4d8e-9c51-2b7f0e6d1a93' },
    });
  });

  test('has no policies and no SDK services when none are declared', () => {
    // GIVEN a declaration without policies and sdkServices
    const props = validProps() as { -readonly [K in keyof WorkloadIdentityProps]: WorkloadIdentityProps[K] };
    delete props.policies;
    delete props.sdkServices;
    // WHEN it is built
    const identity = new WorkloadIdentity(props);
    // THEN both lists are empty
    expect(identity.policies).toEqual([]);
    expect(identity.sdkServices).toEqual([]);
  });

  test('the embedded example in examples/identity.ts constructs', () => {
    // GIVEN the example module
    // WHEN it is loaded
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { paymentsApi } = require('../../examples/identity') as { paymentsApi: WorkloadIdentity };
    // THEN it exports a validated identity
    expect(paymentsApi).toBeInstanceOf(WorkloadIdentity);
    expect(paymentsApi.name).toBe('payments-api');
    expect(paymentsApi.sdkServices).toEqual(['secrets_manager']);
  });
});

describe('validated objects are frozen, so both sides see the same data', () => {
  test('the cluster list is frozen', () => {
    // GIVEN a built identity
    const identity = new WorkloadIdentity(validProps());
    // WHEN its cluster list is inspected
    // THEN it cannot be changed
    expect(Object.isFrozen(identity.clusters)).toBe(true);
  });

  test('the policy list is frozen', () => {
    // GIVEN a built identity
    const identity = new WorkloadIdentity(validProps());
    // WHEN its policy list is inspected
    // THEN it cannot be changed
    expect(Object.isFrozen(identity.policies)).toBe(true);
  });

  test('the token settings are frozen', () => {
    // GIVEN a built identity
    const identity = new WorkloadIdentity(validProps());
    // WHEN its token settings are inspected
    // THEN they cannot be changed
    expect(Object.isFrozen(identity.token)).toBe(true);
  });

  test('the service account and the SDK service list are frozen', () => {
    // GIVEN a built identity
    const identity = new WorkloadIdentity(validProps());
    // WHEN its service account and SDK services are inspected
    // THEN they cannot be changed
    expect(Object.isFrozen(identity.serviceAccount)).toBe(true);
    expect(Object.isFrozen(identity.sdkServices)).toBe(true);
  });

  test('changing the declaration after construction does not change the cluster list or the roles', () => {
    // GIVEN a built identity
    const props = validProps();
    const identity = new WorkloadIdentity(props);
    // WHEN the declaration's arrays are changed afterwards
    (props.clusters as unknown[]).push({ kind: ClusterKind.ROKS, crn: ROKS_CRN });
    (props.policies![0].roles as string[]).push('Manager');
    // THEN the identity keeps the validated copies
    expect(identity.clusters).toHaveLength(1);
    expect(identity.policies[0].roles).toEqual(['SecretsReader']);
  });

  // BUG (src/model/workload-identity.ts, constructor: `Object.freeze(resolveClusters(...))` and
  // `Object.freeze(resolvePolicies(...))`): only the arrays are frozen; each cluster and
  // policy object inside them (and a policy's roles array) stays mutable, so one side can change
  // what the other side renders.
  test('each cluster and each policy inside the frozen lists is frozen too', () => {
    // GIVEN a built identity
    const identity = new WorkloadIdentity(validProps());
    // WHEN the objects inside its lists are inspected
    // THEN they cannot be changed either
    expect(Object.isFrozen(identity.clusters[0])).toBe(true);
    expect(Object.isFrozen(identity.policies[0])).toBe(true);
    expect(Object.isFrozen(identity.policies[0].roles)).toBe(true);
  });

  // BUG (src/model/policy.ts:111, resolvePolicies): a validated policy is `{ ...raw, roles: [...raw.roles] }`, a
  // shallow copy, so `resources`, `resourceAttributes` and `resourceTags` are the caller's own
  // objects. Changing the declaration after construction changes the validated identity and
  // bypasses validation (here: an empty service name).
  test('changing a policy\'s resources in the declaration after construction does not change the identity', () => {
    // GIVEN a built identity
    const props = validProps();
    const identity = new WorkloadIdentity(props);
    // WHEN the declaration's policy resources are changed afterwards
    (props.policies![0].resources as { service?: string }).service = '';
    // THEN the identity still holds the validated value
    expect(identity.policies[0].resources?.service).toBe('secrets-manager');
  });
});

describe('claim rules', () => {
  test('group the clusters per kind: IKS and ROKS give two rules keyed iks and roks', () => {
    // GIVEN claim-rule trust on two IKS clusters and one ROKS cluster
    const secondIksCrn = IKS_CRN.replace(IKS_CLUSTER_ID, 'cq5l0v8d0h4b7f3kq2ph');
    const identity = new WorkloadIdentity(propsWith({
      trust: TrustMode.CLAIM_RULE,
      clusters: [
        { kind: ClusterKind.IKS, crn: IKS_CRN },
        { kind: ClusterKind.ROKS, crn: ROKS_CRN },
        { kind: ClusterKind.IKS, crn: secondIksCrn },
      ],
    }));
    // WHEN its claim rules are read
    const rules = identity.claimRules;
    // THEN there is one rule per compute-resource type, each restricted to its own clusters
    expect(rules.map((r) => r.key)).toEqual(['iks-payments-api', 'roks-payments-api']);
    expect(rules.map((r) => r.crType)).toEqual(['IKS_SA', 'ROKS_SA']);
    expect(rules[0].clusters.map((c) => c.crn)).toEqual([IKS_CRN, secondIksCrn]);
    expect(rules[1].clusters.map((c) => c.crn)).toEqual([ROKS_CRN]);
  });

  test('carry the namespaces and service account name', () => {
    // GIVEN claim-rule trust on one cluster
    const identity = new WorkloadIdentity(propsWith({ trust: TrustMode.CLAIM_RULE }));
    // WHEN its claim rules are read
    const [rule] = identity.claimRules;
    // THEN the rule names the service account
    expect(rule.namespaces).toEqual(['payments']);
    expect(rule.serviceAccountName).toBe('payments-api');
    expect(rule.clusters.map((c) => c.clusterId)).toEqual([IKS_CLUSTER_ID]);
  });

  test('cannot exceed the limit of 20 per profile, since there is at most one per cluster kind', () => {
    // GIVEN claim-rule trust on 25 IKS clusters
    const clusters = Array.from({ length: 25 }, (_, i) => ({
      kind: ClusterKind.IKS,
      crn: IKS_CRN.replace(IKS_CLUSTER_ID, `cluster${String(i).padStart(2, '0')}`),
    }));
    // WHEN the identity is built
    const identity = new WorkloadIdentity(propsWith({ trust: TrustMode.CLAIM_RULE, clusters }));
    // THEN it needs a single claim rule for all of them
    expect(identity.claimRules).toHaveLength(1);
    expect(identity.claimRules[0].clusters).toHaveLength(25);
  });
});

describe('trust', () => {
  test('accepts claim-rule trust', () => {
    // GIVEN trust CLAIM_RULE
    // WHEN the identity is built
    const identity = new WorkloadIdentity(propsWith({ trust: TrustMode.CLAIM_RULE }));
    // THEN it is kept
    expect(identity.trust).toBe('claim-rule');
  });

  test('rejects an unknown trust mode', () => {
    // GIVEN trust "rule"
    // WHEN the identity is built
    // THEN the error names the field and both valid modes
    expectOneProblem(propsWith({ trust: 'rule' }), {
      field: 'trust',
      shown: '"rule"',
      says: ['TrustMode.LINK ("link")', 'TrustMode.CLAIM_RULE ("claim-rule")'],
    });
  });
});

describe('profileName', () => {
  test('rejects an empty profile name', () => {
    // GIVEN profileName ""
    // WHEN the identity is built
    // THEN the error says the rule and that leaving it out uses the identity name
    expectOneProblem(propsWith({ profileName: '' }), {
      field: 'profileName',
      shown: '""',
      says: ['non-empty string', 'leave it out to use the identity name'],
    });
  });

  test('rejects a profile name with surrounding spaces', () => {
    // GIVEN profileName " payments "
    // WHEN the identity is built
    // THEN the error names the surrounding spaces
    expectOneProblem(propsWith({ profileName: ' payments ' }), {
      field: 'profileName',
      shown: '" payments "',
      says: ['without surrounding spaces', 'leave it out to use the identity name'],
    });
  });

  test('rejects a profile name with a control character', () => {
    // GIVEN a profile name containing a tab
    // WHEN the identity is built
    // THEN the error names control characters
    expectOneProblem(propsWith({ profileName: 'payments\tapi' }), {
      field: 'profileName',
      shown: '"payments\\tapi"',
      says: ['control characters'],
    });
  });
});

describe('description', () => {
  test('rejects a description that is not a string', () => {
    // GIVEN description 42
    // WHEN the identity is built
    // THEN the error names the field
    expectOneProblem(propsWith({ description: 42 }), {
      field: 'description',
      shown: '42',
      says: ['the description is a string'],
    });
  });
});

describe('the declaration itself', () => {
  test('rejects a declaration that is not an object', () => {
    // GIVEN no declaration at all
    // WHEN the identity is built
    const error = captureError(null as unknown as WorkloadIdentityProps);
    // THEN the one problem says to pass an object, for an unnamed identity
    expect(error.problems.map((p) => p.field)).toEqual(['props']);
    expect(error.message).toContain('WorkloadIdentity "(unnamed)": props is null;');
    expect(error.message).toContain('pass an object');
  });

  test('rejects a missing service account', () => {
    // GIVEN a declaration without serviceAccount
    // WHEN the identity is built
    // THEN the error says what to add
    expectOneProblem(propsWith({ serviceAccount: undefined }), {
      field: 'serviceAccount',
      shown: 'missing',
      says: ['needs the service account', '{ namespace: "payments" }'],
    });
  });
});

describe('several problems at once', () => {
  test('are all reported in one error', () => {
    // GIVEN a declaration with a bad name, no clusters and a token lifetime IAM refuses
    const props = propsWith({
      name: 'Payments_API',
      serviceAccount: { namespace: 'payments', name: 'payments-api' },
      clusters: [],
      token: { expirationSeconds: 7200 },
    });
    // WHEN the identity is built
    const error = captureError(props);
    // THEN one error lists every problem, in declaration order
    expect(error).toBeInstanceOf(WorkloadIdentityError);
    expect(error.name).toBe('WorkloadIdentityError');
    expect(error.problems.map((p) => p.field)).toEqual(['name', 'clusters', 'token.expirationSeconds']);
    expect(error.message.startsWith('3 problems:\n')).toBe(true);
    expect(error.message).toContain('WorkloadIdentity "Payments_API": name is "Payments_API";');
    expect(error.message).toContain('WorkloadIdentity "Payments_API": clusters is [];');
    expect(error.message).toContain('WorkloadIdentity "Payments_API": token.expirationSeconds is 7200;');
  });

  test('keep the value each problem is about', () => {
    // GIVEN a declaration with two bad fields
    const props = propsWith({ trust: 'rule', token: { mountPath: 'tokens' } });
    // WHEN the identity is built
    const error = captureError(props);
    // THEN each problem holds the identity, the field and the value as given
    expect(error.problems).toEqual([
      expect.objectContaining({ identity: 'payments-api', field: 'trust', value: 'rule' }),
      expect.objectContaining({ identity: 'payments-api', field: 'token.mountPath', value: 'tokens' }),
    ]);
    expect(error.message).toMatch(/^2 problems:\n {2}WorkloadIdentity "payments-api": trust is "rule";.*\n {2}WorkloadIdentity "payments-api": token\.mountPath is "tokens";/);
  });

  test('a single problem is reported without a count', () => {
    // GIVEN a declaration with one bad field
    // WHEN the identity is built
    const error = captureError(propsWith({ trust: 'rule' }));
    // THEN the message is that problem's line alone
    expect(error.message.startsWith('WorkloadIdentity "payments-api": trust is "rule";')).toBe(true);
    expect(error.message).not.toContain('problems');
  });
});

describe('acknowledgements name existing rules', () => {
  test('refuses an acknowledgement of a rule that does not exist, listing the rules', () => {
    // GIVEN an acknowledgement of IWI-P9, which no rule has
    // WHEN the identity is built
    // THEN the rule ID is named, with the rules that exist
    expectOneProblem(propsWith({ acknowledgements: [{ ruleId: 'IWI-P9', reason: 'we know what we are doing' }] }), {
      field: 'acknowledgements[0].ruleId',
      shown: '"IWI-P9"',
      says: ['there is no rule IWI-P9, so the acknowledgement would accept nothing', 'the rules are IWI-P1, IWI-P2'],
    });
  });

  test('accepts an acknowledgement of every existing rule', () => {
    // GIVEN one acknowledgement per rule the library has
    const acknowledgements = KNOWN_RULE_IDS.map((ruleId) => ({ ruleId, reason: 'accepted after review by the platform team' }));
    // WHEN the identity is built
    // THEN all are kept
    expect(new WorkloadIdentity(propsWith({ acknowledgements })).acknowledgements).toHaveLength(KNOWN_RULE_IDS.length);
  });
});
