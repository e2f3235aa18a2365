import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { ServiceAccountRef, WorkloadIdentity } from '../index';
import { registerObjectName } from './object-names';
import { trustedServiceAccount } from './workload-identity-binding';

/** Properties of a `WorkloadIdentityServiceAccount`. */
export interface WorkloadIdentityServiceAccountProps {
  /** The identity whose service account this is: it sets the name and namespace. */
  readonly identity: WorkloadIdentity;
  /**
   * Which of the identity's trusted service accounts to create.
   * @default - the identity's `serviceAccount`
   */
  readonly serviceAccount?: ServiceAccountRef;
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
    const sa = trustedServiceAccount(identity, props.serviceAccount);
    super(scope, id, {
      automountToken: false,
      metadata: {
        name: sa.name,
        namespace: sa.namespace,
        labels: { 'app.kubernetes.io/managed-by': 'iks-workload-identity' },
        annotations: { 'iks-workload-identity/profile-name': identity.profileName },
      },
    });
    this.identity = identity;
    registerObjectName(this, this.apiObject);
  }
}
