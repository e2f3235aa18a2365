import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { WorkloadIdentity } from '../index';

export interface WorkloadIdentityServiceAccountProps {
  /** The identity whose service account this is: it sets the name and namespace. */
  readonly identity: WorkloadIdentity;
}

/**
 * The Kubernetes service account the trusted profile trusts. It does not mount an API-server
 * token: pods of the identity need only the projected IAM token.
 */
export class WorkloadIdentityServiceAccount extends kplus.ServiceAccount {
  public readonly identity: WorkloadIdentity;

  constructor(scope: Construct, id: string, props: WorkloadIdentityServiceAccountProps) {
    const identity = props?.identity;
    if (!(identity instanceof WorkloadIdentity)) {
      throw new Error(`WorkloadIdentityServiceAccount "${id}": props.identity must be a WorkloadIdentity`);
    }
    super(scope, id, {
      automountToken: false,
      metadata: {
        name: identity.serviceAccount.name,
        namespace: identity.serviceAccount.namespace,
        labels: { 'app.kubernetes.io/managed-by': 'iks-workload-identity' },
        annotations: { 'iks-workload-identity/profile-name': identity.profileName },
      },
    });
    this.identity = identity;
  }
}
