import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { WorkloadIdentity } from '../index';
import { deploymentName } from '../model/derived-names';
import { registerObjectName } from './object-names';
import { trustedServiceAccount, WorkloadIdentityBinding, WorkloadIdentityBindingOptions } from './workload-identity-binding';

/** Properties of a `WorkloadIdentityDeployment`: a cdk8s-plus Deployment's, plus the identity. */
export interface WorkloadIdentityDeploymentProps
  extends Omit<kplus.DeploymentProps, 'serviceAccount'>, WorkloadIdentityBindingOptions {
  /** The identity the Deployment's pods take on; it sets the service account and namespace. */
  readonly identity: WorkloadIdentity;
}

/**
 * A cdk8s-plus Deployment whose pods run as the identity's service account, with the
 * projected IAM token mounted read-only in every container and IBM's SDK environment set.
 * Named after the identity and placed in its service account's namespace unless `metadata`
 * says otherwise.
 */
export class WorkloadIdentityDeployment extends kplus.Deployment {
  public readonly identity: WorkloadIdentity;
  public readonly binding: WorkloadIdentityBinding;

  constructor(scope: Construct, id: string, props: WorkloadIdentityDeploymentProps) {
    const { identity, sdkServices, hardenPodSecurity, serviceAccount, ...deploymentProps } = props ?? ({} as WorkloadIdentityDeploymentProps);
    if (!(identity instanceof WorkloadIdentity)) {
      throw new Error(`WorkloadIdentityDeployment "${id}": props.identity must be a WorkloadIdentity`);
    }
    const sa = trustedServiceAccount(identity, serviceAccount);
    super(scope, id, {
      ...deploymentProps,
      metadata: {
        name: deploymentName(identity.name),
        ...deploymentProps.metadata,
        namespace: deploymentProps.metadata?.namespace ?? sa.namespace,
      },
      automountServiceAccountToken: deploymentProps.automountServiceAccountToken ?? false,
    });
    this.identity = identity;
    registerObjectName(this, this.apiObject);
    this.binding = WorkloadIdentityBinding.bind(this, { identity, sdkServices, hardenPodSecurity, serviceAccount: sa });
  }
}
