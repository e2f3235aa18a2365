// External Secrets Operator's identity: one declaration both apps import. The profile trusts
// ESO's controller service account (external-secrets/external-secrets) on one IKS cluster and
// may read the secrets of one secret group of one Secrets Manager instance.
import { ClusterKind, TrustMode, WorkloadIdentity } from 'iks-workload-identity';
import { externalSecretsIdentity } from 'iks-workload-identity/k8s';

/** The Secrets Manager instance ESO reads (its GUID) and its region. */
export const SECRETS_MANAGER = { instanceId: '5a4e5e2c-8f3b-4d8e-9c51-2b7f0e6d1a93', region: 'us-south' };

export const externalSecrets = new WorkloadIdentity(externalSecretsIdentity({
  clusters: [
    { kind: ClusterKind.IKS, crn: 'crn:v1:bluemix:public:containers-kubernetes:us-south:a/0123456789abcdef0123456789abcdef:cq5l0v8d0h4b7f3kq2pg::' },
  ],
  // A claim rule, as IBM's Secrets Manager tutorial sets up; TrustMode.LINK works the same.
  trust: TrustMode.CLAIM_RULE,
  secretsManagerInstance: SECRETS_MANAGER.instanceId,
  secretGroupIds: ['d1e2f3a4-b5c6-4d7e-8f90-a1b2c3d4e5f6'],
}));
