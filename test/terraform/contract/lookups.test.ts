// Clusters given by lookup.
// Sources: IBM-Cloud/terraform-provider-ibm v2.5.0 `ibm/service/kubernetes/data_source_ibm_container_cluster.go`
// (classic clusters: `name`, `resource_group_id`, computed `crn` and `id`) and
// `data_source_ibm_container_vpc_cluster.go` (VPC clusters only; provider issue #1363).
import { ClusterKind, ClusterProps, TrustMode, WorkloadIdentity } from '../../../src';
import { fields, props, refusal, synthStack } from './helpers';

const classic: ClusterProps = { kind: ClusterKind.IKS, key: 'classic-dal', lookup: { nameOrId: 'classic-dal10', infrastructure: 'classic' } };
const vpc: ClusterProps = { kind: ClusterKind.IKS, key: 'vpc-dal', lookup: { nameOrId: 'vpc-dal10', resourceGroupId: 'rg-1' } };

function identityOn(name: string, clusters: ClusterProps[], trust = TrustMode.LINK): WorkloadIdentity {
  return new WorkloadIdentity(props({ name, serviceAccount: { namespace: name }, clusters, trust }));
}

test('a classic cluster is read with ibm_container_cluster, a VPC one (the default) with ibm_container_vpc_cluster', () => {
  // GIVEN one identity on a classic and a VPC cluster
  const json = synthStack(identityOn('payments-api', [classic, vpc]));
  // THEN each infrastructure has its data source, with name and resource group
  expect(Object.values(json.data!.ibm_container_cluster).map(({ '//': _, ...b }) => b)).toEqual([{ name: 'classic-dal10' }]);
  expect(Object.values(json.data!.ibm_container_vpc_cluster).map(({ '//': _, ...b }) => b)).toEqual([{ name: 'vpc-dal10', resource_group_id: 'rg-1' }]);
});

test('links to a classic cluster take its CRN from ibm_container_cluster', () => {
  // GIVEN an identity linked to a classic cluster
  const json = synthStack(identityOn('payments-api', [classic]));
  const [dataId] = Object.keys(json.data!.ibm_container_cluster);
  // THEN the link's CRN references the classic data source
  expect(Object.values(json.resource!.ibm_iam_trusted_profile_link)[0].link.crn).toBe(`\${data.ibm_container_cluster.${dataId}.crn}`);
});

test('a thousand identities on one looked-up cluster read it once', () => {
  // GIVEN 1,000 identities trusting the same looked-up cluster (half by claim rule)
  const identities = Array.from({ length: 1000 }, (_, i) => identityOn(`app-${i}`, [vpc], i % 2 ? TrustMode.CLAIM_RULE : TrustMode.LINK));
  // WHEN they are synthesized into one stack
  const json = synthStack(...identities);
  // THEN there is one data source, and every link and claim rule references it
  const ids = Object.keys(json.data!.ibm_container_vpc_cluster);
  expect(ids).toHaveLength(1);
  const text = JSON.stringify(json.resource);
  expect(text.split(`data.ibm_container_vpc_cluster.${ids[0]}.`).length - 1).toBe(1000);
});

test('the shared data source keeps its address whichever identity declares the cluster first', () => {
  // GIVEN two identities on the same cluster, in both orders
  const a = synthStack(identityOn('alpha', [vpc]), identityOn('beta', [vpc]));
  const b = synthStack(identityOn('beta', [vpc]), identityOn('alpha', [vpc]));
  // THEN the data source has the same logical ID
  expect(Object.keys(b.data!.ibm_container_vpc_cluster)).toEqual(Object.keys(a.data!.ibm_container_vpc_cluster));
});

test('the same name in two resource groups, or on two infrastructures, is two clusters', () => {
  // GIVEN lookups that differ only in resource group or infrastructure
  const json = synthStack(
    identityOn('alpha', [vpc]),
    identityOn('beta', [{ ...vpc, lookup: { nameOrId: 'vpc-dal10', resourceGroupId: 'rg-2' } }]),
    identityOn('gamma', [{ ...vpc, lookup: { nameOrId: 'vpc-dal10', resourceGroupId: 'rg-1', infrastructure: 'classic' } }]),
  );
  // THEN three data sources are read
  expect(Object.keys(json.data!.ibm_container_vpc_cluster)).toHaveLength(2);
  expect(Object.keys(json.data!.ibm_container_cluster)).toHaveLength(1);
});

test('an unknown infrastructure is refused with the two the provider reads', () => {
  // GIVEN infrastructure "satellite"
  const error = refusal({ clusters: [{ kind: ClusterKind.IKS, lookup: { nameOrId: 'x', infrastructure: 'satellite' as never } }] });
  // THEN the field is named, with both values
  expect(fields(error)).toEqual(['clusters[0].lookup.infrastructure']);
  expect(error.message).toContain('"vpc" (ibm_container_vpc_cluster) or "classic" (ibm_container_cluster)');
});
