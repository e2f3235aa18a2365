import { IWI_T1 } from '../../src/rules';
import { CLUSTER_ID, claimRule, cond, link, stack, tfFindings } from './fixtures';

describe('IWI-T1 claim rule without a cluster restriction', () => {
  test('accepts a claim rule restricted to a cluster by service_instance', () => {
    // GIVEN a Profile-CR rule on namespace, name and the cluster ID
    const config = stack({ ibm_iam_trusted_profile_claim_rule: { iks: claimRule([
      cond('namespace', 'payments'), cond('name', 'payments-api'), cond('service_instance', CLUSTER_ID),
    ]) } });
    // WHEN IWI-T1 runs
    // THEN it finds nothing
    expect(tfFindings(IWI_T1, config)).toEqual([]);
  });

  test('accepts a restriction by IN over several clusters', () => {
    // GIVEN a rule whose service_instance condition is IN over two cluster IDs
    const config = stack({ ibm_iam_trusted_profile_claim_rule: { iks: claimRule([
      cond('namespace', 'payments'), cond('service_instance', [CLUSTER_ID, 'c0ffee00cluster01']),
    ]) } });
    // WHEN IWI-T1 runs
    // THEN it finds nothing
    expect(tfFindings(IWI_T1, config)).toEqual([]);
  });

  test('flags a rule on namespace and name alone as an error saying what it trusts', () => {
    // GIVEN a rule trusting payments/payments-api with no cluster condition
    const config = stack({ ibm_iam_trusted_profile_claim_rule: { iks: claimRule([cond('namespace', 'payments'), cond('name', 'payments-api')]) } });
    // WHEN IWI-T1 runs
    const findings = tfFindings(IWI_T1, config);
    // THEN it reports an error on the rule, in every cluster of the account
    expect(findings).toEqual([expect.objectContaining({ ruleId: 'IWI-T1', severity: 'error', object: 'ibm_iam_trusted_profile_claim_rule.iks' })]);
    expect(findings[0].message).toContain('in every cluster of the account');
  });

  test('does not count a NOT_EQUALS condition on the cluster as a restriction', () => {
    // GIVEN a rule that excludes one cluster instead of naming the allowed ones
    const config = stack({ ibm_iam_trusted_profile_claim_rule: { iks: claimRule([
      cond('namespace', 'payments'), cond('service_instance', CLUSTER_ID, 'NOT_EQUALS'),
    ]) } });
    // WHEN IWI-T1 runs
    // THEN it is still flagged
    expect(tfFindings(IWI_T1, config).map((f) => f.ruleId)).toEqual(['IWI-T1']);
  });

  test('ignores links, which always name one cluster', () => {
    // GIVEN a link
    const config = stack({ ibm_iam_trusted_profile_link: { l: link() } });
    // WHEN IWI-T1 runs
    // THEN it finds nothing
    expect(tfFindings(IWI_T1, config)).toEqual([]);
  });
});
