// The embedded example: one declaration that both apps import, so the Terraform profile and
// the Kubernetes manifests cannot drift apart.
import { ClusterKind, WorkloadIdentity } from 'iks-workload-identity';

/** A web app in namespace `payments` on one IKS cluster, reading secrets from one Secrets Manager instance. */
export const paymentsApi = new WorkloadIdentity({
  name: 'payments-api',
  serviceAccount: { namespace: 'payments' },
  clusters: [
    {
      kind: ClusterKind.IKS,
      crn: 'crn:v1:bluemix:public:containers-kubernetes:us-south:a/0123456789abcdef0123456789abcdef:cq5l0v8d0h4b7f3kq2pg::',
    },
  ],
  policies: [
    {
      name: 'read-payments-secrets',
      description: 'Read the secrets of the payments Secrets Manager instance',
      roles: ['SecretsReader'],
      resources: {
        service: 'secrets-manager',
        resourceInstanceId: '5a4e5e2c-8f3b-4d8e-9c51-2b7f0e6d1a93',
      },
    },
  ],
  // The app creates a SecretsManagerV2 client, whose default service name is secrets_manager.
  sdkServices: ['secrets_manager'],
});
