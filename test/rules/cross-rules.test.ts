import { IWI_X1, IWI_X2, runRules } from '../../src/rules';
import { bothFindings, claimRule, cond, deployment, link, PROFILE, serviceAccount, stack } from './fixtures';

const linked = (...links: any[]) => stack({ ...PROFILE, ibm_iam_trusted_profile_link: Object.fromEntries(links.map((l, i) => [`link-${i}`, l])) });

describe('IWI-X1 trusted service account missing from the manifests', () => {
  test('accepts a link whose service account the manifests define', () => {
    // GIVEN a link to payments/payments-api and that ServiceAccount
    // WHEN IWI-X1 runs over both sides
    // THEN it finds nothing
    expect(bothFindings(IWI_X1, [serviceAccount()], linked(link()))).toEqual([]);
  });

  test('warns about a link to a service account no manifest defines', () => {
    // GIVEN a link to payments/old-api and only the ServiceAccount payments/payments-api
    // WHEN IWI-X1 runs
    const findings = bothFindings(IWI_X1, [serviceAccount()], linked(link('payments', 'old-api')));
    // THEN it warns on the link, naming the service account
    expect(findings).toEqual([expect.objectContaining({ ruleId: 'IWI-X1', severity: 'warning', object: 'ibm_iam_trusted_profile_link.link-0' })]);
    expect(findings[0].message).toContain('trusts service account payments/old-api, but the manifests define no such ServiceAccount');
  });

  test('checks every namespace a claim rule accepts with IN', () => {
    // GIVEN a claim rule over namespaces payments and billing, and the ServiceAccount only in payments
    const config = stack({ ibm_iam_trusted_profile_claim_rule: { iks: claimRule([
      cond('namespace', ['payments', 'billing']), cond('name', 'payments-api'), cond('service_instance', 'c1'),
    ]) } });
    // WHEN IWI-X1 runs
    const findings = bothFindings(IWI_X1, [serviceAccount()], config);
    // THEN only billing/payments-api is reported
    expect(findings.map((f) => f.message)).toEqual([expect.stringContaining('billing/payments-api')]);
  });

  test('accepts a ServiceAccount manifest without a namespace for any namespace', () => {
    // GIVEN a ServiceAccount without namespace (applied wherever kubectl points)
    // WHEN IWI-X1 runs
    // THEN the link is considered matched
    expect(bothFindings(IWI_X1, [serviceAccount('payments-api', undefined)], linked(link()))).toEqual([]);
  });

  test('does not run when only the Terraform side was read', () => {
    // GIVEN a stale link and no Kubernetes side at all
    // WHEN the rules run on Terraform alone
    const { findings } = runRules({ terraform: [{ file: 'cdk.tf.json', config: linked(link('payments', 'old-api')) }] }, [IWI_X1]);
    // THEN it has nothing to compare and finds nothing
    expect(findings).toEqual([]);
  });
});

describe('IWI-X2 workload names a profile the Terraform side does not define', () => {
  test('accepts a workload asking for a profile the stack defines', () => {
    // GIVEN a Deployment asking for payments-api and a stack defining it
    // WHEN IWI-X2 runs
    // THEN it finds nothing
    expect(bothFindings(IWI_X2, [deployment()], stack(PROFILE))).toEqual([]);
  });

  test('flags a workload asking for a profile that no stack defines, once per profile', () => {
    // GIVEN a stack defining only payments-v2 (the profile was renamed)
    const config = stack({ ibm_iam_trusted_profile: { p: { name: 'payments-v2' } } });
    // WHEN IWI-X2 runs on the Deployment (asking via IBMCLOUD_CR_PROFILE and SECRETS_MANAGER_IAM_PROFILE_NAME)
    const findings = bothFindings(IWI_X2, [deployment()], config);
    // THEN one error names the missing profile and the defined one
    expect(findings).toEqual([expect.objectContaining({ ruleId: 'IWI-X2', severity: 'error', object: 'Deployment payments/payments-api' })]);
    expect(findings[0].message).toContain('asks IAM for trusted profile "payments-api"');
    expect(findings[0].message).toContain('(defined: payments-v2)');
  });

  test('accepts a profile managed elsewhere that the stack declares by name', () => {
    // GIVEN a stack with only a policy whose comment names the existing profile
    const config = stack({ ibm_iam_trusted_profile_policy: { p: { roles: ['Reader'], '//': { 'iks-workload-identity': { profileName: 'payments-api' } } } } });
    // WHEN IWI-X2 runs
    // THEN it finds nothing
    expect(bothFindings(IWI_X2, [deployment()], config)).toEqual([]);
  });

  test('stays silent when a profile name is only known at plan time', () => {
    // GIVEN a profile named by a variable
    const config = stack({ ibm_iam_trusted_profile: { p: { name: '${var.profile_name}' } } });
    // WHEN IWI-X2 runs
    // THEN it cannot judge, and finds nothing
    expect(bothFindings(IWI_X2, [deployment()], config)).toEqual([]);
  });
});
