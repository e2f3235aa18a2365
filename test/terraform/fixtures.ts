// Shared fixtures of the Terraform tests: a valid identity, clusters, policies and synth helpers.
import { TerraformStack, Testing } from 'cdktf';
import { AccessPolicyProps, ClusterKind, ClusterProps, WorkloadIdentity, WorkloadIdentityProps } from '../../src';
import { WorkloadIdentityProfile, WorkloadIdentityProfileProps } from '../../src/terraform';

// Synthesized Terraform JSON is untyped; the tests read it by block type and logical ID.
export type Block = Record<string, any>;
export type Synth = { resource?: Record<string, Record<string, Block>>; data?: Record<string, Record<string, Block>>; output?: Record<string, Block> };

export const ACCOUNT = '0123456789abcdef0123456789abcdef';
export const crn = (clusterId: string) => `crn:v1:bluemix:public:containers-kubernetes:us-south:a/${ACCOUNT}:${clusterId}::`;

export const IKS_A: ClusterProps = { kind: ClusterKind.IKS, crn: crn('iksaaaaaaaaaaaaaaaaa') };
export const IKS_B: ClusterProps = { kind: ClusterKind.IKS, crn: crn('iksbbbbbbbbbbbbbbbbb') };
export const ROKS_C: ClusterProps = { kind: ClusterKind.ROKS, crn: crn('rokscccccccccccccccc') };
export const LOOKED_UP: ClusterProps = { kind: ClusterKind.IKS, lookup: { nameOrId: 'prod-eu', resourceGroupId: 'rg-0123' }, key: 'prod-eu' };

export const READ_SECRETS: AccessPolicyProps = {
  name: 'read-secrets',
  roles: ['SecretsReader'],
  resources: { service: 'secrets-manager', resourceInstanceId: '5a4e5e2c-8f3b-4d8e-9c51-2b7f0e6d1a93' },
};
export const READ_BUCKETS: AccessPolicyProps = {
  name: 'read-buckets',
  roles: ['Reader'],
  resourceAttributes: [{ name: 'serviceName', value: 'cloud-object-storage' }],
};
export const VIEW_ACCOUNT: AccessPolicyProps = { name: 'view-account', roles: ['Viewer'], accountManagement: true };

export function identity(overrides: Partial<WorkloadIdentityProps> = {}): WorkloadIdentity {
  return new WorkloadIdentity({
    name: 'payments-api',
    serviceAccount: { namespace: 'payments' },
    clusters: [IKS_A],
    ...overrides,
  });
}

export function synthString(id: WorkloadIdentity, props: Partial<WorkloadIdentityProfileProps> = {}): string {
  const stack = new TerraformStack(Testing.app(), 'test');
  new WorkloadIdentityProfile(stack, 'payments-api', { identity: id, ...props });
  return Testing.synth(stack);
}

export function synth(id: WorkloadIdentity, props: Partial<WorkloadIdentityProfileProps> = {}): Synth {
  return JSON.parse(synthString(id, props));
}

export function resources(json: Synth, type: string): Record<string, Block> {
  return json.resource?.[type] ?? {};
}

export function only(json: Synth, type: string): Block {
  const blocks = Object.values(resources(json, type));
  expect(blocks).toHaveLength(1);
  return blocks[0];
}

export const PROFILE_ID = '${ibm_iam_trusted_profile.payments-api_profile_E2C06929.id}';
export const PROFILE_IAM_ID = '${ibm_iam_trusted_profile.payments-api_profile_E2C06929.iam_id}';
export const PROFILE_CRN = '${ibm_iam_trusted_profile.payments-api_profile_E2C06929.crn}';
