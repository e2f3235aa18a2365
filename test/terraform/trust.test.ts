import { ClusterKind, ClusterProps, TrustMode } from '../../src';
import {
  Block,
  crn,
  IKS_A,
  IKS_B,
  identity,
  LOOKED_UP,
  only,
  PROFILE_ID,
  resources,
  ROKS_C,
  synth,
} from './fixtures';

describe('trust by link', () => {
  test('creates one link per cluster, IKS_SA for IKS and ROKS_SA for ROKS', () => {
    // GIVEN two IKS clusters and one ROKS cluster
    const id = identity({ clusters: [IKS_A, IKS_B, ROKS_C] });

    // WHEN it is synthesized with the default trust mode
    const links = Object.values(resources(synth(id), 'ibm_iam_trusted_profile_link'));

    // THEN each cluster has its own link with the cluster kind's compute-resource type
    expect(links.map((l) => [l.link.crn, l.cr_type]).sort()).toEqual([
      [crn('iksaaaaaaaaaaaaaaaaa'), 'IKS_SA'],
      [crn('iksbbbbbbbbbbbbbbbbb'), 'IKS_SA'],
      [crn('rokscccccccccccccccc'), 'ROKS_SA'],
    ]);
  });

  test('links the profile to the exact cluster CRN, namespace and service account', () => {
    // GIVEN an identity whose service account has its own name
    const id = identity({ serviceAccount: { namespace: 'payments', name: 'api-runner' } });

    // WHEN it is synthesized
    const link = only(synth(id), 'ibm_iam_trusted_profile_link');

    // THEN the link belongs to the profile and has exactly one link block with crn, namespace and name
    expect(link.profile_id).toBe(PROFILE_ID);
    expect(link.link).toEqual({ crn: crn('iksaaaaaaaaaaaaaaaaa'), namespace: 'payments', name: 'api-runner' });
  });

  test('gives each link a readable name of namespace, service account and cluster key', () => {
    // GIVEN a cluster with an explicit key
    const id = identity({ clusters: [{ ...IKS_A, key: 'dallas-prod' }] });

    // WHEN it is synthesized
    const link = only(synth(id), 'ibm_iam_trusted_profile_link');

    // THEN the link's name says who may assume the profile, and where
    expect(link.name).toBe('payments/payments-api@dallas-prod');
  });

  test('creates no claim rules', () => {
    // GIVEN the default trust mode
    // WHEN it is synthesized
    const json = synth(identity({ clusters: [IKS_A, ROKS_C] }));

    // THEN trust is expressed by links only
    expect(resources(json, 'ibm_iam_trusted_profile_claim_rule')).toEqual({});
  });

  test('looks up a cluster given by name through the ibm_container_vpc_cluster data source', () => {
    // GIVEN a cluster given by name and resource group instead of CRN
    const id = identity({ clusters: [LOOKED_UP] });

    // WHEN it is synthesized
    const json = synth(id);

    // THEN exactly one data source finds it by name in that resource group
    expect(Object.values(json.data?.ibm_container_vpc_cluster ?? {})).toEqual([{ name: 'prod-eu', resource_group_id: 'rg-0123' }]);
  });

  test('links a looked-up cluster by the CRN its data source reads', () => {
    // GIVEN a looked-up cluster
    const id = identity({ clusters: [LOOKED_UP] });

    // WHEN it is synthesized
    const json = synth(id);

    // THEN the link's CRN is a reference to the data source's crn attribute
    const [dataId] = Object.keys(json.data!.ibm_container_vpc_cluster);
    expect(only(json, 'ibm_iam_trusted_profile_link').link.crn).toBe(`\${data.ibm_container_vpc_cluster.${dataId}.crn}`);
  });

  test('omits resource_group_id from the lookup when none is given', () => {
    // GIVEN a lookup by name only
    const id = identity({ clusters: [{ kind: ClusterKind.ROKS, lookup: { nameOrId: 'ocp-1' } }] });

    // WHEN it is synthesized
    const json = synth(id);

    // THEN the data source names the cluster and leaves the resource group to the provider
    expect(Object.values(json.data!.ibm_container_vpc_cluster)).toEqual([{ name: 'ocp-1' }]);
  });
});

describe('trust by claim rule', () => {
  const claimRules = (clusters: ClusterProps[]) =>
    resources(synth(identity({ trust: TrustMode.CLAIM_RULE, clusters })), 'ibm_iam_trusted_profile_claim_rule');
  const condition = (rule: Block, claim: string) => rule.conditions.find((c: Block) => c.claim === claim);

  test('creates a Profile-CR rule for the cluster kind and no links', () => {
    // GIVEN claim-rule trust on one IKS cluster
    const json = synth(identity({ trust: TrustMode.CLAIM_RULE }));

    // WHEN the rule is read
    const rule = only(json, 'ibm_iam_trusted_profile_claim_rule');

    // THEN it is a compute-resource rule for IKS service accounts on this profile, and there are no links
    expect(rule).toMatchObject({ profile_id: PROFILE_ID, type: 'Profile-CR', cr_type: 'IKS_SA', name: 'payments/payments-api@iks' });
    expect(resources(json, 'ibm_iam_trusted_profile_link')).toEqual({});
  });

  test('matches the namespace and the service account name with EQUALS on JSON strings', () => {
    // GIVEN claim-rule trust
    // WHEN it is synthesized
    const rule = Object.values(claimRules([IKS_A]))[0];

    // THEN namespace and name are each compared to a JSON-encoded string
    expect(condition(rule, 'namespace')).toEqual({ claim: 'namespace', operator: 'EQUALS', value: '"payments"' });
    expect(condition(rule, 'name')).toEqual({ claim: 'name', operator: 'EQUALS', value: '"payments-api"' });
  });

  test('restricts a rule to its one cluster with service_instance EQUALS the cluster ID', () => {
    // GIVEN one cluster
    // WHEN it is synthesized
    const rule = Object.values(claimRules([IKS_A]))[0];

    // THEN the cluster ID, the CRN's 8th segment, is the only cluster allowed, and there are exactly three conditions
    expect(condition(rule, 'service_instance')).toEqual({ claim: 'service_instance', operator: 'EQUALS', value: '"iksaaaaaaaaaaaaaaaaa"' });
    expect(rule.conditions).toHaveLength(3);
  });

  test('restricts one rule to two clusters of the same kind with service_instance IN', () => {
    // GIVEN two IKS clusters
    // WHEN it is synthesized
    const rules = Object.values(claimRules([IKS_B, IKS_A]));

    // THEN a single rule admits both cluster IDs as a JSON array, in key order
    expect(rules).toHaveLength(1);
    expect(condition(rules[0], 'service_instance')).toEqual({
      claim: 'service_instance',
      operator: 'IN',
      value: '["iksaaaaaaaaaaaaaaaaa","iksbbbbbbbbbbbbbbbbb"]',
    });
  });

  test('creates one rule per cluster kind when IKS and ROKS are mixed, each restricted to its own clusters', () => {
    // GIVEN an IKS and a ROKS cluster
    // WHEN it is synthesized
    const rules = Object.values(claimRules([ROKS_C, IKS_A]));

    // THEN there is an IKS_SA rule for the IKS cluster and a ROKS_SA rule for the ROKS cluster
    expect(rules.map((r) => [r.cr_type, condition(r, 'service_instance').value]).sort()).toEqual([
      ['IKS_SA', '"iksaaaaaaaaaaaaaaaaa"'],
      ['ROKS_SA', '"rokscccccccccccccccc"'],
    ]);
  });

  test('restricts a rule to a looked-up cluster by the JSON-encoded ID its data source reads', () => {
    // GIVEN a looked-up cluster
    const json = synth(identity({ trust: TrustMode.CLAIM_RULE, clusters: [LOOKED_UP] }));

    // WHEN the rule is read
    const rule = only(json, 'ibm_iam_trusted_profile_claim_rule');

    // THEN Terraform encodes the data source's id at plan time
    const [dataId] = Object.keys(json.data!.ibm_container_vpc_cluster);
    expect(condition(rule, 'service_instance')).toEqual({
      claim: 'service_instance',
      operator: 'EQUALS',
      value: `\${jsonencode(data.ibm_container_vpc_cluster.${dataId}.id)}`,
    });
  });

  test('never sets the SAML-only expiration or realm_name', () => {
    // GIVEN claim-rule trust on IKS and ROKS clusters
    // WHEN it is synthesized
    const rules = Object.values(claimRules([IKS_A, IKS_B, ROKS_C]));

    // THEN no rule has SAML arguments
    expect(rules).toHaveLength(2);
    for (const rule of rules) {
      expect(rule).not.toHaveProperty('expiration');
      expect(rule).not.toHaveProperty('realm_name');
    }
  });
});
