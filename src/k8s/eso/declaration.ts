// The identity External Secrets Operator takes on to read IBM Secrets Manager: plain data, no
// framework, so the Terraform side can build the same declaration.
import { AccessPolicies, AccessPolicyProps, ServiceAccountRef, WorkloadIdentityProps } from '../../index';

/** ESO's namespace and its controller's service account, as the Helm chart names them by default. */
export const ESO_NAMESPACE = 'external-secrets';
export const ESO_CONTROLLER_SERVICE_ACCOUNT = 'external-secrets';

/** What `externalSecretsIdentity` needs beyond an ordinary declaration. */
export interface ExternalSecretsIdentityOptions extends Omit<WorkloadIdentityProps, 'name' | 'serviceAccount' | 'policies' | 'sdkServices'> {
  /**
   * The identity's name (and default profile name).
   * @default "external-secrets"
   */
  readonly name?: string;
  /**
   * ESO's controller service account, which the profile trusts (its `name` defaults to
   * "external-secrets" here, not to the identity's name).
   * @default - namespace "external-secrets", name "external-secrets" (the chart's defaults)
   */
  readonly serviceAccount?: ServiceAccountRef;
  /** The Secrets Manager instance (its GUID) ESO reads from. */
  readonly secretsManagerInstance: string;
  /**
   * Only the secrets of these secret groups (their IDs): one read policy each.
   * @default - every secret of the instance
   */
  readonly secretGroupIds?: readonly string[];
  /**
   * Further policies of the profile.
   * @default - none
   */
  readonly policies?: readonly AccessPolicyProps[];
}

/**
 * The declaration of ESO's identity: a profile that trusts ESO's controller service account
 * (by link or claim rule, per `trust`) and may read one Secrets Manager instance, or some of
 * its secret groups (`SecretsReader`). ESO's webhook needs the token file but not the trust:
 * see `ExternalSecretsOperator.bind`.
 */
export function externalSecretsIdentity(options: ExternalSecretsIdentityOptions): WorkloadIdentityProps {
  const { name, serviceAccount, secretsManagerInstance, secretGroupIds, policies, ...rest } = options;
  const groups = secretGroupIds ?? [];
  const read = groups.length === 0
    ? AccessPolicies.secretsManagerRead({ instance: secretsManagerInstance })
    : groups.flatMap((group, i) => AccessPolicies.secretsManagerRead({
      instance: secretsManagerInstance,
      secretGroupId: group,
      name: groups.length === 1 ? 'secrets-manager-read' : `secrets-manager-read-${i + 1}`,
    }));
  return {
    ...rest,
    name: name ?? 'external-secrets',
    serviceAccount: {
      namespace: serviceAccount?.namespace ?? ESO_NAMESPACE,
      name: serviceAccount?.name ?? ESO_CONTROLLER_SERVICE_ACCOUNT,
    },
    policies: [...read, ...(policies ?? [])],
  };
}
