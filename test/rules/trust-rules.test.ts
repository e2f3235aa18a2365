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

  test('accepts a cluster condition the library writes for looked-up clusters (jsonencode over a data source)', () => {
    // GIVEN the condition WorkloadIdentityProfile writes for one literal and one looked-up cluster,
    // with the ibm_container_vpc_cluster data source in the same configuration
    const value = `\${jsonencode(["${CLUSTER_ID}", data.ibm_container_vpc_cluster.payments-api_cluster-prod-1_2F5C5CDA.id])}`;
    const config = { ...stack({ ibm_iam_trusted_profile_claim_rule: { iks: claimRule([cond('namespace', 'payments'), { claim: 'service_instance', operator: 'IN', value }]) } }),
      data: { ibm_container_vpc_cluster: { 'payments-api_cluster-prod-1_2F5C5CDA': { name: 'prod-1' } } } };
    // WHEN IWI-T1 runs
    // THEN the reference names a cluster: no finding
    expect(tfFindings(IWI_T1, config)).toEqual([]);
  });

  test('accepts a crn condition referencing a classic cluster data source', () => {
    // GIVEN a crn condition on an ibm_container_cluster data source (classic infrastructure)
    const config = { ...stack({ ibm_iam_trusted_profile_claim_rule: { iks: claimRule([cond('namespace', 'payments'),
      { claim: 'crn', operator: 'EQUALS', value: '${data.ibm_container_cluster.classic.crn}' }]) } }),
    data: { ibm_container_cluster: { classic: { name: 'classic-1' } } } };
    // WHEN IWI-T1 runs
    // THEN it finds nothing
    expect(tfFindings(IWI_T1, config)).toEqual([]);
  });

  test('flags a cluster condition referencing a data source that is not in the configuration', () => {
    // GIVEN the library's form of condition, but no such data source declared
    const value = '${jsonencode([data.ibm_container_vpc_cluster.gone.id])}';
    const config = stack({ ibm_iam_trusted_profile_claim_rule: { iks: claimRule([cond('namespace', 'payments'), { claim: 'service_instance', operator: 'IN', value }]) } });
    // WHEN IWI-T1 runs
    const findings = tfFindings(IWI_T1, config);
    // THEN it is an error saying the value is an expression it cannot resolve
    expect(findings.map((f) => f.message)).toEqual([expect.stringContaining('value = "${jsonencode([data.ibm_container_vpc_cluster.gone.id])}" is an expression the rule cannot resolve')]);
  });

  test('flags a cluster condition on a variable or a non-cluster data source', () => {
    for (const value of ['${var.cluster_id}', '${jsonencode(var.clusters)}', '${data.ibm_resource_group.g.id}', '${jsonencode(["", data.ibm_container_vpc_cluster.c.id])}']) {
      // GIVEN a service_instance condition whose value the rule cannot tie to a cluster
      const config = { ...stack({ ibm_iam_trusted_profile_claim_rule: { iks: claimRule([{ claim: 'service_instance', operator: 'EQUALS', value }]) } }),
        data: { ibm_resource_group: { g: { name: 'default' } }, ibm_container_vpc_cluster: { c: { name: 'c' } } } };
      // WHEN IWI-T1 runs
      // THEN it is an error
      expect(tfFindings(IWI_T1, config).map((f) => f.ruleId)).toEqual(['IWI-T1']);
    }
  });

  test('flags a claim rule whose type is an expression, as the issue found with type = "${"Profile-CR"}"', () => {
    // GIVEN a rule on namespace alone whose type hides Profile-CR in an interpolation
    const config = stack({ ibm_iam_trusted_profile_claim_rule: { iks: { ...claimRule([cond('namespace', 'payments')]), type: '${"Profile-CR"}' } } });
    // WHEN IWI-T1 runs
    const findings = tfFindings(IWI_T1, config);
    // THEN it is an error naming the unknown type
    expect(findings.map((f) => f.message)).toEqual([expect.stringContaining('type = "${\\"Profile-CR\\"}" is an expression the rule cannot resolve')]);
  });

  test('accepts a rule whose type is an expression when a literal condition restricts the cluster anyway', () => {
    // GIVEN an unknown type but a literal service_instance condition
    const config = stack({ ibm_iam_trusted_profile_claim_rule: { iks: { ...claimRule([cond('service_instance', CLUSTER_ID)]), type: '${var.type}' } } });
    // WHEN IWI-T1 runs
    // THEN whatever the type, the rule is restricted to the cluster
    expect(tfFindings(IWI_T1, config)).toEqual([]);
  });

  test('flags a cluster condition whose claim or operator is an expression', () => {
    for (const c of [{ claim: '${"service_instance"}', operator: 'EQUALS', value: JSON.stringify(CLUSTER_ID) }, { claim: 'service_instance', operator: '${var.op}', value: JSON.stringify(CLUSTER_ID) }]) {
      // GIVEN the condition
      const config = stack({ ibm_iam_trusted_profile_claim_rule: { iks: claimRule([c]) } });
      // WHEN IWI-T1 runs
      // THEN it is an error saying what it cannot resolve
      expect(tfFindings(IWI_T1, config).map((f) => f.message)).toEqual([expect.stringContaining('is an expression the rule cannot resolve')]);
    }
  });

  test('flags conditions given as one expression (HCL dynamic blocks or a variable)', () => {
    // GIVEN conditions as an expression string
    const config = stack({ ibm_iam_trusted_profile_claim_rule: { iks: { ...claimRule([]), conditions: '${var.conditions}' } } });
    // WHEN IWI-T1 runs
    // THEN it is an error
    expect(tfFindings(IWI_T1, config).map((f) => f.message)).toEqual([expect.stringContaining('conditions = "${var.conditions}" is an expression')]);
  });

  test('does not count an empty cluster value as a restriction', () => {
    // GIVEN service_instance EQUALS ""
    const config = stack({ ibm_iam_trusted_profile_claim_rule: { iks: claimRule([cond('namespace', 'payments'), cond('service_instance', '')]) } });
    // WHEN IWI-T1 runs
    // THEN it is the plain T1 error
    expect(tfFindings(IWI_T1, config).map((f) => f.message)).toEqual([expect.stringContaining('in every cluster of the account')]);
  });

  test('flags conditions from a dynamic block (HCL `dynamic "conditions"`) as unknown, not as missing', () => {
    // GIVEN a rule whose only conditions come from a dynamic block, as hcl2json reads it
    const config = stack({ ibm_iam_trusted_profile_claim_rule: { iks: { ...claimRule([]), conditions: undefined,
      dynamic: { conditions: [{ for_each: '${var.c}', content: [{ claim: '${conditions.value.claim}', operator: 'EQUALS', value: '${conditions.value.v}' }] }] } } } });
    // WHEN IWI-T1 runs
    // THEN an error saying the rule cannot know
    expect(tfFindings(IWI_T1, config).map((f) => f.message)).toEqual([expect.stringContaining('dynamic "conditions" block')]);
  });

  test('accepts a literal cluster condition beside dynamic ones', () => {
    // GIVEN a literal service_instance condition and a dynamic block
    const config = stack({ ibm_iam_trusted_profile_claim_rule: { iks: { ...claimRule([cond('service_instance', CLUSTER_ID)]),
      dynamic: { conditions: [{ for_each: '${var.c}', content: [{}] }] } } } });
    // WHEN IWI-T1 runs
    // THEN the literal condition restricts the cluster whatever the others add (conditions are ANDed)
    expect(tfFindings(IWI_T1, config)).toEqual([]);
  });
});
