import { IWI_P1, IWI_P2 } from '../../src/rules';
import { PROFILE, policy, stack, tfFindings } from './fixtures';

const INSTANCE = '5a4e5e2c-8f3b-4d8e-9c51-2b7f0e6d1a93';

function p1(body: Record<string, unknown>) {
  return tfFindings(IWI_P1, stack({ ...PROFILE, ibm_iam_trusted_profile_policy: { admin: policy(body) } }));
}

describe('IWI-P1 Administrator or Manager unscoped or account-wide', () => {
  test('accepts Manager scoped to one service instance', () => {
    // GIVEN a policy granting Manager on one Secrets Manager instance
    // WHEN IWI-P1 runs
    const findings = p1({ roles: ['Manager'], resources: { service: 'secrets-manager', resource_instance_id: INSTANCE } });
    // THEN it finds nothing
    expect(findings).toEqual([]);
  });

  test('accepts a lesser role on a whole service', () => {
    // GIVEN a policy granting Reader on every Secrets Manager instance
    // WHEN IWI-P1 runs
    const findings = p1({ roles: ['Reader'], resources: { service: 'secrets-manager' } });
    // THEN it finds nothing: only Administrator and Manager are in its scope
    expect(findings).toEqual([]);
  });

  test('flags Administrator on a service without an instance as an error naming the policy', () => {
    // GIVEN a policy granting Administrator on every Secrets Manager instance
    // WHEN IWI-P1 runs
    const findings = p1({ roles: ['Viewer', 'Administrator'], resources: { service: 'secrets-manager' } });
    // THEN it reports one error on that policy, naming the role and the service
    expect(findings).toEqual([expect.objectContaining({
      ruleId: 'IWI-P1', severity: 'error', object: 'ibm_iam_trusted_profile_policy.admin', file: 'cdk.tf.json',
    })]);
    expect(findings[0].message).toContain('grants Administrator on every instance of service "secrets-manager"');
  });

  test('flags a policy that names no resources at all as account-wide', () => {
    // GIVEN a policy granting Manager with neither resources nor resource_attributes
    // WHEN IWI-P1 runs
    const findings = p1({ roles: ['Manager'] });
    // THEN it says the grant covers the whole account
    expect(findings.map((f) => f.message)).toEqual([expect.stringContaining('on every resource in the account')]);
  });

  test('flags a role given by its CRN', () => {
    // GIVEN Manager named by its service-role CRN on a whole service
    // WHEN IWI-P1 runs
    const findings = p1({ roles: ['crn:v1:bluemix:public:iam::::serviceRole:Manager'], resources: { service: 'cloud-object-storage' } });
    // THEN it is flagged like the plain name
    expect(findings.map((f) => f.ruleId)).toEqual(['IWI-P1']);
  });

  test('flags a bare wildcard instance as unscoped', () => {
    // GIVEN Administrator on resource_instance_id "*"
    // WHEN IWI-P1 runs
    const findings = p1({ roles: ['Administrator'], resources: { service: 'kms', resource_instance_id: '*' } });
    // THEN the wildcard does not count as a scope
    expect(findings.map((f) => f.ruleId)).toEqual(['IWI-P1']);
  });

  test('accepts resource_attributes that name a service instance', () => {
    // GIVEN Manager on attributes serviceName and serviceInstance
    // WHEN IWI-P1 runs
    const findings = p1({ roles: ['Manager'], resource_attributes: [
      { name: 'serviceName', value: 'cloud-object-storage', operator: 'stringEquals' },
      { name: 'serviceInstance', value: INSTANCE, operator: 'stringEquals' },
    ] });
    // THEN it finds nothing
    expect(findings).toEqual([]);
  });

  test('flags resource_attributes without a serviceInstance or resource attribute', () => {
    // GIVEN Manager on attribute serviceName only
    // WHEN IWI-P1 runs
    const findings = p1({ roles: ['Manager'], resource_attributes: [{ name: 'serviceName', value: 'cloud-object-storage' }] });
    // THEN it reports the whole service
    expect(findings.map((f) => f.message)).toEqual([expect.stringContaining('every instance of service "cloud-object-storage"')]);
  });

  test('accepts an instance given as a reference to a resource of the same configuration', () => {
    // GIVEN Manager on an instance whose ID is only known at plan time, from a resource declared beside the policy
    const config = stack({ ...PROFILE, ibm_resource_instance: { kms: { name: 'kms', service: 'kms', plan: 'tiered-pricing', location: 'us-south' } },
      ibm_iam_trusted_profile_policy: { admin: policy({ roles: ['Manager'], resources: { service: 'kms', resource_instance_id: '${ibm_resource_instance.kms.guid}' } }) } });
    // WHEN IWI-P1 runs
    // THEN the reference names one instance, so the policy is scoped
    expect(tfFindings(IWI_P1, config)).toEqual([]);
  });

  test('accepts an instance given as a reference to a data source of the same configuration', () => {
    // GIVEN Manager scoped by serviceInstance from a looked-up instance
    const config = { ...stack({ ...PROFILE, ibm_iam_trusted_profile_policy: { admin: policy({ roles: ['Manager'], resource_attributes: [
      { name: 'serviceName', value: 'kms' }, { name: 'serviceInstance', value: '${data.ibm_resource_instance.kms.guid}' }] }) } }),
    data: { ibm_resource_instance: { kms: { name: 'kms' } } } };
    // WHEN IWI-P1 runs
    // THEN it finds nothing
    expect(tfFindings(IWI_P1, config)).toEqual([]);
  });

  test('flags an instance expression that names nothing in the configuration as a value it cannot know', () => {
    // GIVEN Manager on an instance given by a variable, and one given by a reference to an undeclared resource
    for (const instance of ['${var.instance}', '${ibm_resource_instance.kms.guid}', '${"*"}']) {
      // WHEN IWI-P1 runs
      const findings = p1({ roles: ['Manager'], resources: { service: 'kms', resource_instance_id: instance } });
      // THEN it is an error saying the scope is an expression it cannot resolve
      expect(findings.map((f) => f.message)).toEqual([expect.stringContaining(`scoped only by resource_instance_id = ${JSON.stringify(instance)}, an expression the rule cannot resolve`)]);
    }
  });

  test('flags a role spelled through an expression, as the issue found with "Admin${""}istrator"', () => {
    // GIVEN roles hiding Administrator in an interpolation, on a whole service
    // WHEN IWI-P1 runs
    const findings = p1({ roles: ['Admin${""}istrator'], resources: { service: 'secrets-manager' } });
    // THEN it reports the role as unknown on an unscoped policy
    expect(findings.map((f) => f.message)).toEqual([expect.stringContaining('grants roles the rule cannot know ("Admin${\\"\\"}istrator") on every instance of service "secrets-manager"')]);
  });

  test('flags roles given as one expression (HCL `roles = concat(...)`)', () => {
    // GIVEN roles as a single expression string, as hcl2json writes a function call
    // WHEN IWI-P1 runs
    const findings = p1({ roles: '${concat(["Reader"], var.extra_roles)}' });
    // THEN it is an error on the account-wide policy
    expect(findings.map((f) => f.message)).toEqual([expect.stringContaining('on every resource in the account')]);
  });

  test('accepts unknown roles on a policy scoped to one instance', () => {
    // GIVEN roles from a variable, on one literal instance
    // WHEN IWI-P1 runs
    const findings = p1({ roles: '${var.roles}', resources: { service: 'kms', resource_instance_id: INSTANCE } });
    // THEN the scope bounds whatever the roles are
    expect(findings).toEqual([]);
  });

  test('says a dynamic resources block is unknown, not that the policy names no resources', () => {
    // GIVEN Administrator with its resources from an HCL dynamic block, as hcl2json reads it
    // WHEN IWI-P1 runs
    const findings = p1({ roles: ['Administrator'], dynamic: { resources: [{ for_each: '${var.r}', content: [{ service: '${resources.value}' }] }] } });
    // THEN the message names the dynamic block as what it cannot resolve
    expect(findings.map((f) => f.message)).toEqual([expect.stringContaining('scoped only by a dynamic "resources" block')]);
  });

  test('lets an acknowledgement accept a value it cannot know', () => {
    // GIVEN the unknown role, acknowledged with a reason
    const config = stack({ ...PROFILE, ibm_iam_trusted_profile_policy: { admin: policy({ roles: ['${var.role}'], resources: { service: 'kms' } }, { 'IWI-P1': 'var.role is Reader in every workspace' }) } });
    // WHEN IWI-P1 runs
    // THEN the finding is acknowledged with the reason
    expect(tfFindings(IWI_P1, config).map((f) => f.acknowledged)).toEqual(['var.role is Reader in every workspace']);
  });
});

describe('IWI-P2 account management policies', () => {
  test('accepts a policy on a service', () => {
    // GIVEN a policy on one service instance
    const config = stack({ ibm_iam_trusted_profile_policy: { read: policy({ roles: ['Viewer'], resources: { service: 'kms', resource_instance_id: INSTANCE } }) } });
    // WHEN IWI-P2 runs
    // THEN it finds nothing
    expect(tfFindings(IWI_P2, config)).toEqual([]);
  });

  test('flags account_management = true as an error naming the roles', () => {
    // GIVEN a policy granting Viewer on the account management services
    const config = stack({ ibm_iam_trusted_profile_policy: { account: policy({ roles: ['Viewer'], account_management: true }) } });
    // WHEN IWI-P2 runs
    const findings = tfFindings(IWI_P2, config);
    // THEN it reports an error on that policy
    expect(findings).toEqual([expect.objectContaining({ ruleId: 'IWI-P2', severity: 'error', object: 'ibm_iam_trusted_profile_policy.account' })]);
    expect(findings[0].message).toContain('grants Viewer on the account management services');
  });

  test('leaves account-management Administrator to IWI-P2 rather than reporting it twice', () => {
    // GIVEN Administrator on account management
    const config = stack({ ibm_iam_trusted_profile_policy: { account: policy({ roles: ['Administrator'], account_management: true }) } });
    // WHEN IWI-P1 runs
    // THEN it stays silent (IWI-P2 reports it)
    expect(tfFindings(IWI_P1, config)).toEqual([]);
  });

  test('flags account_management given as an expression ("${true}") as a value it cannot know', () => {
    // GIVEN account_management hidden in an interpolation, as the issue found
    const config = stack({ ibm_iam_trusted_profile_policy: { account: policy({ roles: ['Administrator'], account_management: '${true}' }) } });
    // WHEN IWI-P2 runs
    const findings = tfFindings(IWI_P2, config);
    // THEN it is an error that says the value is an expression it cannot know
    expect(findings.map((f) => f.message)).toEqual([expect.stringContaining('account_management = "${true}" is an expression: the rule cannot know')]);
  });

  test('accepts account_management written as false, in JSON or as HCL text', () => {
    // GIVEN two policies with account_management false and "false"
    const config = stack({ ibm_iam_trusted_profile_policy: {
      a: policy({ roles: ['Viewer'], account_management: false, resources: { service: 'kms', resource_instance_id: INSTANCE } }),
      b: policy({ roles: ['Viewer'], account_management: 'false', resources: { service: 'kms', resource_instance_id: INSTANCE } }),
    } });
    // WHEN IWI-P2 runs
    // THEN it finds nothing
    expect(tfFindings(IWI_P2, config)).toEqual([]);
  });

  test('flags account_management "true" written as text', () => {
    // GIVEN account_management as the string "true" (HCL and Terraform convert it to a bool)
    const config = stack({ ibm_iam_trusted_profile_policy: { account: policy({ roles: ['Viewer'], account_management: 'true' }) } });
    // WHEN IWI-P2 runs
    // THEN it is the account-management error
    expect(tfFindings(IWI_P2, config).map((f) => f.message)).toEqual([expect.stringContaining('on the account management services')]);
  });
});
