// The data file says what code can: `AccessPolicies.*` presets and `TimeConditions` as plain
// data, checked like every other value (file, entry, field, value, fix).
import { AccessPolicies, AccessPolicyProps, ClusterKind, DeclarationError, declarationsFromData, TimeConditions, WorkloadIdentity } from '../../src';

const IKS_CRN = 'crn:v1:bluemix:public:containers-kubernetes:us-south:a/0123456789abcdef0123456789abcdef:cq5l0v8d0h4b7f3kq2pg::';
const SM = '5a4e5e2c-8f3b-4d8e-9c51-2b7f0e6d1a93';
const ES = 'crn:v1:bluemix:public:messagehub:us-south:a/0123456789abcdef0123456789abcdef:6f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b::';

function data(policies: unknown[]): unknown {
  return { identities: [{ name: 'payments-api', serviceAccount: { namespace: 'payments' }, clusters: [{ kind: 'IKS', crn: IKS_CRN }], policies }] };
}

/** The policies of the identity code declares with `policies`. */
function inCode(policies: AccessPolicyProps[]) {
  return new WorkloadIdentity({ name: 'payments-api', serviceAccount: { namespace: 'payments' }, clusters: [{ kind: ClusterKind.IKS, crn: IKS_CRN }], policies }).policies;
}

function loaded(policies: unknown[]) {
  return declarationsFromData(data(policies), 'identities.yaml')[0].identity.policies;
}

function problemsOf(policies: unknown[]): string[] {
  try {
    declarationsFromData(data(policies), 'identities.yaml');
  } catch (e) {
    if (e instanceof DeclarationError) return e.problems.map((p) => `${p.field} | ${p.message}`);
    throw e;
  }
  throw new Error('expected a DeclarationError, but the data was accepted');
}

describe('presets in the data file', () => {
  test('a preset item makes the policy the preset makes in code', () => {
    // GIVEN secretsManagerRead with a secret group, as data
    const item = { preset: 'secretsManagerRead', instance: SM, secretGroupId: 'd1c2b3a4-0000-4000-8000-000000000001' };
    // WHEN it is loaded
    // THEN the identity's policies are those of AccessPolicies.secretsManagerRead
    expect(loaded([item])).toEqual(inCode(AccessPolicies.secretsManagerRead({ instance: SM, secretGroupId: 'd1c2b3a4-0000-4000-8000-000000000001' })));
  });

  test('a preset of several policies makes all of them, beside plain policies', () => {
    // GIVEN eventStreamsConsume with a consumer group, then a plain policy
    const plain = { name: 'read-secrets', roles: ['SecretsReader'], resources: { service: 'secrets-manager', resourceInstanceId: SM } };
    const policies = loaded([{ preset: 'eventStreamsConsume', instance: ES, topic: 'orders', consumerGroup: 'billing' }, plain]);
    // THEN the three consumer policies come first, then the plain one
    expect(policies).toEqual(inCode([...AccessPolicies.eventStreamsConsume({ instance: ES, topic: 'orders', consumerGroup: 'billing' }), plain]));
    expect(policies).toHaveLength(4);
  });

  test('every preset of AccessPolicies can be written as data', () => {
    // GIVEN one item of each preset
    const items = [
      { preset: 'secretsManagerRead', instance: SM },
      { preset: 'objectStorageBucketRead', instance: SM, bucket: 'invoices' },
      { preset: 'objectStorageBucketWrite', instance: SM, bucket: 'exports' },
      { preset: 'keyProtectUse', instance: SM, keyId: '0f1e2d3c-4b5a-4978-8a9b-0c1d2e3f4a5b' },
      { preset: 'containerRegistryPull', namespace: 'payments' },
      { preset: 'eventStreamsProduce', instance: ES, topic: 'orders' },
      { preset: 'eventStreamsConsume', instance: ES, topic: 'orders', name: 'consume-orders' },
    ];
    // THEN each loads, and AccessPolicies has no preset the data file lacks
    expect(loaded(items).length).toBe(9);
    const methods = Object.getOwnPropertyNames(AccessPolicies).filter((k) => typeof (AccessPolicies as any)[k] === 'function');
    expect(methods.sort()).toEqual(items.map((i) => i.preset).sort());
  });

  test('an unknown preset name gets a did-you-mean at its preset field', () => {
    // GIVEN a misspelt preset
    // WHEN loaded
    // THEN the problem is at policies[0].preset, with the closest name
    expect(problemsOf([{ preset: 'secretManagerRead', instance: SM }])).toEqual(['policies[0].preset | not a known preset; did you mean "secretsManagerRead"?']);
  });

  test('a preset without a required option names it', () => {
    expect(problemsOf([{ preset: 'objectStorageBucketRead', instance: SM }])).toEqual(['policies[0].bucket | required: a string']);
  });

  test('an option the preset does not have is an unknown key with a did-you-mean', () => {
    expect(problemsOf([{ preset: 'secretsManagerRead', instance: SM, secretGroup: 'x' }])).toEqual(['policies[0].secretGroup | unknown key; did you mean "secretGroupId"?']);
  });

  test('a preset that refuses its options is reported at the item, in the preset\'s words', () => {
    // GIVEN keyProtectUse with both a key and a key ring
    const problems = problemsOf([{ preset: 'keyProtectUse', instance: SM, keyId: 'k', keyRingId: 'r' }]);
    // THEN one problem at policies[0], without the code's method prefix
    expect(problems).toEqual(['policies[0] | give exactly one of keyId and keyRingId (got both); a policy on the whole instance is not least privilege']);
  });

  test('a problem the model finds in a preset\'s policy points at the preset item', () => {
    // GIVEN the same preset twice, so two policies share the default name
    const problems = problemsOf([{ preset: 'secretsManagerRead', instance: SM }, { preset: 'secretsManagerRead', instance: SM }]);
    // THEN the problem names policies[1], the item that made the second policy
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^policies\[1\] \| in the policy the preset secretsManagerRead makes/);
  });

  test('a plain policy after a preset of two keeps its own position in messages', () => {
    // GIVEN eventStreamsProduce (two policies) and then a plain policy without roles
    const problems = problemsOf([{ preset: 'eventStreamsProduce', instance: ES, topic: 'orders' }, { name: 'broken', roles: [], resources: { service: 'secrets-manager', resourceInstanceId: SM } }]);
    // THEN the problem is at policies[1].roles, as the file numbers it (the model saw policies[2])
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^policies\[1\]\.roles \| /);
  });
});

describe('time conditions in the data file', () => {
  const plain = { name: 'read-secrets', roles: ['SecretsReader'], resources: { service: 'secrets-manager', resourceInstanceId: SM } };

  test('weekly on a plain policy makes the conditions TimeConditions.weekly makes', () => {
    // GIVEN working hours in Central European Time
    const weekly = { days: [1, 2, 3, 4, 5], from: '09:00:00', to: '17:00:00', utcOffset: '+01:00' };
    // WHEN loaded
    // THEN the policy is the code's, with TimeConditions.weekly spread into it
    expect(loaded([{ ...plain, timeConditions: { weekly } }])).toEqual(inCode([{ ...plain, ...TimeConditions.weekly({ ...weekly, days: [1, 2, 3, 4, 5] }) }]));
  });

  test('weeklyAllDay and once load as in code', () => {
    const once = { from: '2027-01-01T00:00:00+00:00', to: '2027-01-02T00:00:00+00:00' };
    expect(loaded([{ ...plain, timeConditions: { weeklyAllDay: { days: [6, 7] } } }])).toEqual(inCode([{ ...plain, ...TimeConditions.weeklyAllDay({ days: [6, 7] }) }]));
    expect(loaded([{ ...plain, name: 'migrate', timeConditions: { once } }])).toEqual(inCode([{ ...plain, name: 'migrate', ...TimeConditions.once(once) }]));
  });

  test('time conditions on a preset apply to every policy it makes', () => {
    // GIVEN eventStreamsProduce during working hours
    const policies = loaded([{ preset: 'eventStreamsProduce', instance: ES, topic: 'orders', timeConditions: { weeklyAllDay: { days: [1] } } }]);
    // THEN both of its policies carry the day condition
    const conditions = TimeConditions.weeklyAllDay({ days: [1] });
    expect(policies).toEqual(inCode(AccessPolicies.eventStreamsProduce({ instance: ES, topic: 'orders' }).map((p) => ({ ...p, ...conditions }))));
  });

  test('two kinds of time condition at once are refused', () => {
    const problems = problemsOf([{ ...plain, timeConditions: { weeklyAllDay: { days: [1] }, once: { from: '2027-01-01T00:00:00+00:00', to: '2027-01-02T00:00:00+00:00' } } }]);
    expect(problems).toEqual(['policies[0].timeConditions | give exactly one of weekly, weeklyAllDay, once, not weeklyAllDay and once']);
  });

  test('a time not written as HH:MM:SS is reported at its field with the fix', () => {
    const problems = problemsOf([{ ...plain, timeConditions: { weekly: { days: [1], from: '9:00', to: '17:00:00' } } }]);
    expect(problems).toEqual(['policies[0].timeConditions.weekly.from | write it as HH:MM:SS']);
  });

  test('a day outside 1 to 7 is refused', () => {
    const problems = problemsOf([{ ...plain, timeConditions: { weeklyAllDay: { days: [0] } } }]);
    expect(problems).toEqual(['policies[0].timeConditions.weeklyAllDay.days | list days 1 (Monday) to 7 (Sunday)']);
  });

  test('time conditions beside hand-written rule conditions are refused', () => {
    const conditions = TimeConditions.weeklyAllDay({ days: [1] });
    const problems = problemsOf([{ ...plain, ...conditions, timeConditions: { weeklyAllDay: { days: [2] } } }]);
    expect(problems).toEqual(['policies[0].timeConditions | timeConditions sets ruleConditions and pattern itself; give either timeConditions or ruleConditions, pattern']);
  });

  test('an unknown kind of time condition gets a did-you-mean', () => {
    const problems = problemsOf([{ ...plain, timeConditions: { weekley: { days: [1], from: '09:00:00', to: '17:00:00' } } }]);
    expect(problems[0]).toBe('policies[0].timeConditions.weekley | unknown key; did you mean "weekly"?');
  });
});
