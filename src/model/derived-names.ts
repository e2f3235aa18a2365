// Every Kubernetes and Terraform name the library derives from an identity, in one place. Both
// sides take their names from here, and `WorkloadIdentity` checks them when it is constructed,
// so a declaration one side would refuse is refused before either side synthesizes anything.
import { Cluster } from './cluster';
import { excerpt, ProblemCollector } from './errors';
import { DNS1123_LABEL_MAX, isDns1123Label, isDns1123Subdomain } from './names';

/** The suffix of the token-fetch Job's default name: `<identity name>-token-fetch`. */
export const TOKEN_FETCH_JOB_SUFFIX = '-token-fetch';
/**
 * The longest identity name: the token-fetch Job's name labels its pods (`job-name`), so it is
 * a DNS-1123 label of at most 63 characters, and the suffix takes 12 of them.
 */
export const MAX_IDENTITY_NAME_LENGTH = DNS1123_LABEL_MAX - TOKEN_FETCH_JOB_SUFFIX.length;

/** The Deployment `WorkloadIdentityDeployment` names after the identity. */
export function deploymentName(identityName: string): string {
  return identityName;
}

/** The default name of the identity's token-fetch Job, also the value of its pods' `job-name` label. */
export function tokenFetchJobName(identityName: string): string {
  return `${identityName}${TOKEN_FETCH_JOB_SUFFIX}`;
}

/** Whether `value` is a Kubernetes label value: at most 63 characters, alphanumerics with `-`, `_` and `.` inside. */
export function isLabelValue(value: string): boolean {
  return value.length <= DNS1123_LABEL_MAX && /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/.test(value);
}

/** Terraform's identifier syntax (block labels, output names): a letter or `_`, then letters, digits, `_` and `-`. */
export const TERRAFORM_IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_-]*$/;

/** A Terraform identifier from a DNS-1123 label: `payments-api` becomes `payments_api`, `1a` becomes `_1a`. */
export function terraformIdentifier(name: string): string {
  const id = name.replace(/[^A-Za-z0-9_]/g, '_');
  return /^[0-9]/.test(id) ? `_${id}` : id;
}

/** The Terraform outputs `WorkloadIdentityProfile` adds, by suffix. */
export const PROFILE_OUTPUT_SUFFIXES = ['profile_id', 'profile_iam_id', 'profile_crn'] as const;
export type ProfileOutputSuffix = typeof PROFILE_OUTPUT_SUFFIXES[number];

/** `<identity name>_profile_id` and friends, read with `terraform output <name>`. */
export function terraformOutputName(identityName: string, suffix: ProfileOutputSuffix): string {
  return `${terraformIdentifier(identityName)}_${suffix}`;
}

/** Construct IDs of the children of `WorkloadIdentityProfile`: each from a stable key, never a position. */
export const TerraformIds = {
  profile: 'profile',
  /** Prefix of the stack-level data source of an existing profile: `existing-profile-<profile ID>`. */
  existingProfile: 'existing-profile',
  output: (suffix: ProfileOutputSuffix) => suffix.replace(/_/g, '-'),
  /** The key of a link in `WorkloadIdentityProfile.links`: unambiguous, as keys hold no `/`. */
  linkKey: (clusterKey: string, sa: ServiceAccountName) => `${clusterKey}/${sa.namespace}/${sa.name}`,
  link: (clusterKey: string, sa: ServiceAccountName) => `link-${clusterKey}-${sa.namespace}-${sa.name}`,
  claimRuleKey: (crType: 'IKS_SA' | 'ROKS_SA', serviceAccountName: string) => `${crType === 'IKS_SA' ? 'iks' : 'roks'}-${serviceAccountName}`,
  claimRule: (key: string) => `claim-rule-${key}`,
  /**
   * A conditional policy has an address of its own: the provider creates a policy without
   * conditions through IAM's v1 API and cannot add conditions to it in place, so adding or
   * removing conditions must replace the policy rather than update it.
   */
  policy: (policyName: string, conditional = false) => `${conditional ? 'conditional-policy' : 'policy'}-${policyName}`,
} as const;

interface ServiceAccountName { readonly namespace: string; readonly name: string }

/** A Kubernetes object by what the API server keys it on. */
export interface KubernetesObjectName {
  readonly kind: 'ServiceAccount' | 'Deployment' | 'Job';
  readonly namespace: string;
  readonly name: string;
}

/**
 * The objects the Kubernetes constructs name by default for one trusted service account: the
 * ServiceAccount itself, the Deployment and the token-fetch Job, in its namespace.
 */
export function defaultKubernetesObjects(identityName: string, sa: ServiceAccountName): KubernetesObjectName[] {
  return [
    { kind: 'ServiceAccount', namespace: sa.namespace, name: sa.name },
    { kind: 'Deployment', namespace: sa.namespace, name: deploymentName(identityName) },
    { kind: 'Job', namespace: sa.namespace, name: tokenFetchJobName(identityName) },
  ];
}

/** The parts of a validated identity the derived names come from. */
export interface NamedParts {
  readonly name: string;
  readonly serviceAccounts: readonly ServiceAccountName[];
  readonly clusters: readonly Cluster[];
  readonly policies: readonly { readonly name: string }[];
  readonly links: boolean;
}

/** Reports an identity name too long for the names derived from it. */
export function checkIdentityNameLength(problems: ProblemCollector, name: string): void {
  if (name.length > MAX_IDENTITY_NAME_LENGTH) {
    problems.add('name', name, `the token-fetch Job is named "<name>${TOKEN_FETCH_JOB_SUFFIX}", a DNS-1123 label of at most ${DNS1123_LABEL_MAX} characters because it labels the Job's pods, so an identity name has at most ${MAX_IDENTITY_NAME_LENGTH} characters (it has ${name.length}); shorten it`);
  }
}

/**
 * Checks every name derived from a valid identity against the rule of the place it lands, and
 * that no two Terraform children get one construct ID. Run once the fields themselves are valid.
 */
export function checkDerivedNames(problems: ProblemCollector, parts: NamedParts): void {
  const job = tokenFetchJobName(parts.name);
  if (!isDns1123Label(job) || !isLabelValue(job)) {
    problems.add('name', parts.name, `the token-fetch Job's name ${excerpt(job)} is not a DNS-1123 label and label value of at most ${DNS1123_LABEL_MAX} characters; shorten the name`);
  }
  if (!isDns1123Subdomain(deploymentName(parts.name))) {
    problems.add('name', parts.name, 'the Deployment named after the identity needs a DNS-1123 subdomain; use a DNS-1123 label');
  }
  for (const suffix of PROFILE_OUTPUT_SUFFIXES) {
    const output = terraformOutputName(parts.name, suffix);
    if (!TERRAFORM_IDENTIFIER.test(output)) {
      problems.add('name', parts.name, `the Terraform output ${excerpt(output)} is not a Terraform identifier; use a DNS-1123 label`);
    }
  }

  // Links are the one child whose ID joins several free parts with "-": cluster key "a-b" with
  // namespace "c" and cluster key "a" with namespace "b-c" would get one ID, which Terraform
  // (and cdktf, before it) refuses.
  if (!parts.links) return;
  const taken = new Map<string, { cluster: number; where: string }>();
  parts.clusters.forEach((cluster, i) => {
    parts.serviceAccounts.forEach((sa, j) => {
      const id = TerraformIds.link(cluster.key, sa);
      const saField = j === 0 ? 'serviceAccount' : `additionalServiceAccounts[${j - 1}]`;
      const here = `clusters[${i}] with ${saField}`;
      const other = taken.get(id);
      if (other === undefined) {
        taken.set(id, { cluster: i, where: here });
      } else if (other.cluster !== i) {
        problems.add(`clusters[${i}].key`, cluster.key, `the Terraform link of ${here} (${sa.namespace}/${sa.name}) gets the ID "${id}", the same as the link of ${other.where}; set clusters[${i}].key to a key that does not run into the namespace (e.g. without "-")`);
      } else {
        problems.add(saField, { namespace: sa.namespace, name: sa.name }, `its Terraform link on clusters[${i}] gets the ID "${id}", the same as the link of ${other.where}, because namespace and name split differently at a "-"; rename one of the two service accounts, or trust one through another identity`);
      }
    });
  });
}
