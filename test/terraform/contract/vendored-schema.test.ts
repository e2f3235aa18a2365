// The vendored provider schema holds what the library emits, as the provider declares it.
import { ibmProviderSchema } from '../../support/terraform-schema';

const attributes = (kind: 'resource_schemas' | 'data_source_schemas', type: string) => (ibmProviderSchema() as any)[kind][type]?.block?.attributes ?? {};
const shape = (a: any) => ({ type: a.type, required: !!a.required, optional: !!a.optional, computed: !!a.computed });

test('ibm_iam_access_group_members is declared as the provider v2.5.0 declares it', () => {
  // Source: `ibm/service/iamaccessgroup/resource_ibm_iam_access_group_members.go` at v2.5.0:
  // access_group_id Required (ForceNew); ibm_ids, iam_service_ids, iam_profile_ids Optional sets
  // of strings; members Computed list of { iam_id, type }.
  const a = attributes('resource_schemas', 'ibm_iam_access_group_members');
  expect(shape(a.access_group_id)).toEqual({ type: 'string', required: true, optional: false, computed: false });
  for (const k of ['ibm_ids', 'iam_service_ids', 'iam_profile_ids']) expect(shape(a[k])).toEqual({ type: ['set', 'string'], required: false, optional: true, computed: false });
  expect(shape(a.members)).toEqual({ type: ['list', ['object', { iam_id: 'string', type: 'string' }]], required: false, optional: false, computed: true });
});

test.each(['ibm_container_cluster', 'ibm_container_vpc_cluster'])('%s takes name and resource_group_id and exposes crn and id', (type) => {
  // Source: `ibm/service/kubernetes/data_source_ibm_container_cluster.go` and
  // `data_source_ibm_container_vpc_cluster.go` at v2.5.0: name Optional, resource_group_id
  // Optional and Computed, crn Computed; id is the SDK's.
  const a = attributes('data_source_schemas', type);
  expect(shape(a.name)).toMatchObject({ type: 'string', optional: true });
  expect(shape(a.resource_group_id)).toMatchObject({ type: 'string', optional: true, computed: true });
  expect(shape(a.crn)).toMatchObject({ type: 'string', computed: true });
  expect(shape(a.id)).toMatchObject({ type: 'string', computed: true });
});
