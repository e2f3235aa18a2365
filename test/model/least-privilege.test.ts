// The model's issue-4 parts: typed roles, instance CRNs, rule conditions, several service
// accounts, the claim-rule limit and acknowledgements.
import { PlatformRole, ServiceRole, TrustMode, WorkloadIdentity } from '../../src';
import { captureError, propsWith } from './fixtures';

const GUID = '5a4e5e2c-8f3b-4d8e-9c51-2b7f0e6d1a93';
const policy = (extra: object) => ({ name: 'p', roles: [ServiceRole.READER], resources: { service: 'secrets-manager', resourceInstanceId: GUID }, ...extra });

describe('typed roles', () => {
  test('platform and service roles are the names IAM uses', () => {
    // GIVEN the role enums
    // WHEN their values are read
    // THEN they are IAM's role names
    expect(Object.values(PlatformRole)).toEqual(['Viewer', 'Operator', 'Editor', 'Administrator']);
    expect(Object.values(ServiceRole)).toEqual(['Reader', 'Writer', 'Manager']);
  });

  test('service-specific roles are accepted as strings beside typed ones', () => {
    // GIVEN a typed platform role and a Secrets Manager role
    // WHEN the identity is built
    const identity = new WorkloadIdentity(propsWith({ policies: [policy({ roles: [PlatformRole.VIEWER, 'SecretsReader'] })] }));
    // THEN both are kept in order
    expect(identity.policies[0].roles).toEqual(['Viewer', 'SecretsReader']);
  });
});

describe('an instance given by CRN', () => {
  const CRN = `crn:v1:bluemix:public:secrets-manager:us-south:a/0123456789abcdef0123456789abcdef:${GUID}::`;

  test('becomes the instance GUID and fills in the service', () => {
    // GIVEN resources naming the instance by CRN only
    // WHEN the identity is built
    const identity = new WorkloadIdentity(propsWith({ policies: [policy({ resources: { resourceInstanceId: CRN } })] }));
    // THEN the policy holds the GUID and the CRN's service
    expect(identity.policies[0].resources).toEqual({ resourceInstanceId: GUID, service: 'secrets-manager' });
  });

  test('is refused when its service differs from the policy service', () => {
    // GIVEN a Secrets Manager CRN on a policy for Object Storage
    // WHEN the identity is built
    const error = captureError(propsWith({ policies: [policy({ resources: { service: 'cloud-object-storage', resourceInstanceId: CRN } })] }));
    // THEN the service field is named with the CRN's service
    expect(error.problems[0].field).toBe('policies[0].resources.service');
    expect(error.message).toContain('resourceInstanceId is a CRN of service "secrets-manager"');
  });
});

describe('rule conditions', () => {
  test('are refused when a condition has no values, naming its value', () => {
    // GIVEN a condition with an empty value list
    const error = captureError(propsWith({ policies: [policy({ ruleConditions: [{ key: '{{environment.attributes.current_time}}', operator: 'timeLessThanOrEquals', value: [] }] })] }));
    // THEN the condition is named
    expect(error.problems[0].field).toBe('policies[0].ruleConditions[0].value');
  });

  test('refuse an operator other than and/or', () => {
    // GIVEN ruleOperator "xor"
    const error = captureError(propsWith({ policies: [policy({ ruleConditions: [{ key: 'k', operator: 'o', value: ['v'] }], ruleOperator: 'xor' })] }));
    // THEN ruleOperator is named
    expect(error.problems[0].field).toBe('policies[0].ruleOperator');
  });
});

describe('additional service accounts', () => {
  test('are trusted after the primary one, with the identity name as default name', () => {
    // GIVEN one additional service account without a name
    const identity = new WorkloadIdentity(propsWith({ additionalServiceAccounts: [{ namespace: 'payments-canary' }] }));
    // THEN serviceAccounts lists both, primary first
    expect(identity.serviceAccounts).toEqual([
      { namespace: 'payments', name: 'payments-api' },
      { namespace: 'payments-canary', name: 'payments-api' },
    ]);
  });

  test('refuse a duplicate of the primary service account', () => {
    // GIVEN the primary service account listed again
    const error = captureError(propsWith({ additionalServiceAccounts: [{ namespace: 'payments', name: 'payments-api' }] }));
    // THEN the duplicate is named with the field it repeats
    expect(error.problems[0].field).toBe('additionalServiceAccounts[0]');
    expect(error.message).toContain('serviceAccount is the same service account');
  });

  test('refuse an invalid namespace, naming its index', () => {
    // GIVEN an additional service account in an invalid namespace
    // WHEN the identity is built
    // THEN the field path carries its index
    const error = captureError(propsWith({ additionalServiceAccounts: [{ namespace: 'Payments_Canary' }] }));
    expect(error.problems[0].field).toBe('additionalServiceAccounts[0].namespace');
  });
});

describe('the claim-rule limit', () => {
  test('refuses an identity that needs more than 20 claim rules', () => {
    // GIVEN claim-rule trust for 21 differently named service accounts
    const extra = Array.from({ length: 20 }, (_, i) => ({ namespace: 'payments', name: `worker-${i}` }));
    // WHEN the identity is built
    const error = captureError(propsWith({ trust: TrustMode.CLAIM_RULE, additionalServiceAccounts: extra }));
    // THEN the limit and the count are named
    expect(error.message).toContain('IAM allows at most 20 claim rules per trusted profile, this identity needs 21');
  });

  test('allows 20 claim rules', () => {
    // GIVEN claim-rule trust for 20 differently named service accounts
    // WHEN the identity is built
    // THEN it has 20 rules
    const extra = Array.from({ length: 19 }, (_, i) => ({ namespace: 'payments', name: `worker-${i}` }));
    expect(new WorkloadIdentity(propsWith({ trust: TrustMode.CLAIM_RULE, additionalServiceAccounts: extra })).claimRules).toHaveLength(20);
  });
});

describe('acknowledgements', () => {
  test('are found by rule ID', () => {
    // GIVEN an acknowledgement of IWI-P1
    const identity = new WorkloadIdentity(propsWith({ acknowledgements: [{ ruleId: 'IWI-P1', reason: 'Break-glass profile reviewed by security' }] }));
    // THEN its reason is returned for that rule only
    expect(identity.acknowledgement('IWI-P1')).toBe('Break-glass profile reviewed by security');
    expect(identity.acknowledgement('IWI-P2')).toBeUndefined();
  });

  test('need a reason of at least 10 characters', () => {
    // GIVEN an acknowledgement whose reason is "ok"
    // WHEN the identity is built
    // THEN the reason field is named
    const error = captureError(propsWith({ acknowledgements: [{ ruleId: 'IWI-P1', reason: 'ok' }] }));
    expect(error.problems[0].field).toBe('acknowledgements[0].reason');
  });

  test('refuse a rule acknowledged twice', () => {
    // GIVEN the same rule acknowledged twice
    // WHEN the identity is built
    // THEN the second one is named
    const ack = { ruleId: 'IWI-P1', reason: 'Break-glass profile reviewed by security' };
    const error = captureError(propsWith({ acknowledgements: [ack, ack] }));
    expect(error.problems[0].field).toBe('acknowledgements[1].ruleId');
  });
});
