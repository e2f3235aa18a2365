import { Cluster, ClusterProps, resolveClusters } from './cluster';
import { ProblemCollector } from './errors';
import { IamEndpoint } from './iam-endpoint';
import { checkDns1123Label, checkDns1123Subdomain } from './names';
import { AccessPolicy, AccessPolicyProps, resolvePolicies } from './policy';
import { EnvVar, SDK_SERVICE_NAME, sdkEnvPrefix } from './sdk-environment';
import { resolveToken, TokenProps, TokenSettings } from './token';

/** How IAM decides that a pod's service account may assume the profile. */
export enum TrustMode {
  /** One `ibm_iam_trusted_profile_link` per cluster: exact cluster CRN, namespace and name. */
  LINK = 'link',
  /**
   * A `Profile-CR` claim rule per cluster kind, on namespace and service-account name,
   * always restricted to the declared clusters.
   */
  CLAIM_RULE = 'claim-rule',
}

/** IAM allows this many claim rules on one trusted profile. */
export const MAX_CLAIM_RULES_PER_PROFILE = 20;

/** The Kubernetes service account the workload runs as. */
export interface ServiceAccountRef {
  /** Namespace of the service account (a DNS-1123 label). */
  readonly namespace: string;
  /**
   * Name of the service account (a DNS-1123 subdomain).
   * @default - the identity's `name`
   */
  readonly name?: string;
}

/** One declaration of a workload identity, shared by the Terraform and Kubernetes sides. */
export interface WorkloadIdentityProps {
  /**
   * The identity's name: a DNS-1123 label. Kubernetes objects are named after it, and it is
   * the default profile and service-account name.
   */
  readonly name: string;
  /**
   * Name of the IAM trusted profile; unique in the account. Pods select the profile by this
   * name, so the manifests never depend on an ID that exists only after `terraform apply`.
   * @default - the identity's `name`
   */
  readonly profileName?: string;
  /**
   * Description of the trusted profile.
   * @default - "Workload identity for <namespace>/<service account>, managed by iks-workload-identity"
   */
  readonly description?: string;
  /** The service account that may assume the profile. */
  readonly serviceAccount: ServiceAccountRef;
  /** The clusters the workload runs on; the profile trusts the service account on these only. */
  readonly clusters: readonly ClusterProps[];
  /**
   * How the trust is expressed.
   * @default TrustMode.LINK
   */
  readonly trust?: TrustMode;
  /**
   * The profile's access policies, each scoped to exactly one resource shape.
   * @default - none: the profile can authenticate but access nothing
   */
  readonly policies?: readonly AccessPolicyProps[];
  /**
   * The projected service-account token.
   * @default - audience "iam", 3600 s, at /var/run/secrets/tokens/sa-token
   */
  readonly token?: TokenProps;
  /**
   * The IAM endpoint pods exchange their token with.
   * @default IamEndpoint.PUBLIC
   */
  readonly iamEndpoint?: IamEndpoint;
  /**
   * IBM SDK service names (e.g. `secrets_manager`, `cloud-object-storage`) the workload's code
   * creates clients for; each gets `<SERVICE>_AUTH_TYPE=container` and friends in the pod.
   * @default - none: only the IBM Cloud CLI variables are set
   */
  readonly sdkServices?: readonly string[];
}

/** A claim rule the Terraform side emits: one per compute-resource type. */
export interface ClaimRuleSpec {
  readonly key: string;
  readonly crType: 'IKS_SA' | 'ROKS_SA';
  readonly namespace: string;
  readonly serviceAccountName: string;
  /** The clusters the rule is restricted to (claim `service_instance`). */
  readonly clusters: readonly Cluster[];
}

/**
 * A validated workload identity. Construction checks every field and throws a
 * `WorkloadIdentityError` listing each problem, so nothing is synthesized from a bad declaration.
 */
export class WorkloadIdentity {
  public readonly name: string;
  public readonly profileName: string;
  public readonly description: string;
  public readonly serviceAccount: Required<ServiceAccountRef>;
  public readonly clusters: readonly Cluster[];
  public readonly trust: TrustMode;
  public readonly policies: readonly AccessPolicy[];
  public readonly token: TokenSettings;
  public readonly iamEndpoint: IamEndpoint;
  public readonly sdkServices: readonly string[];

  constructor(props: WorkloadIdentityProps) {
    const label = typeof props?.name === 'string' && props.name !== '' ? props.name : '(unnamed)';
    const problems = new ProblemCollector(label);
    if (props === null || typeof props !== 'object') {
      problems.add('props', props, 'pass an object { name, serviceAccount, clusters, ... }');
      problems.throwIfAny();
    }

    checkDns1123Label(problems, 'name', props.name, 'the identity name');
    this.name = props.name;
    this.profileName = props.profileName ?? props.name;
    if (props.profileName !== undefined && (typeof props.profileName !== 'string' || props.profileName.trim() === ''
        || props.profileName !== props.profileName.trim() || /[\u0000-\u001f\u007f]/.test(props.profileName))) {
      problems.add('profileName', props.profileName, 'the trusted profile name is a non-empty string without surrounding spaces or control characters; leave it out to use the identity name');
    }

    const sa = props.serviceAccount;
    if (sa === null || typeof sa !== 'object') {
      problems.add('serviceAccount', sa, 'the identity needs the service account that runs the workload: { namespace: "payments" }');
      this.serviceAccount = { namespace: '', name: '' };
    } else {
      checkDns1123Label(problems, 'serviceAccount.namespace', sa.namespace, 'a namespace');
      checkDns1123Subdomain(problems, 'serviceAccount.name', sa.name ?? props.name, 'a service account name');
      this.serviceAccount = Object.freeze({ namespace: sa.namespace, name: sa.name ?? props.name });
    }

    this.description = props.description
      ?? `Workload identity for ${this.serviceAccount.namespace}/${this.serviceAccount.name}, managed by iks-workload-identity`;
    if (typeof this.description !== 'string') {
      problems.add('description', props.description, 'the description is a string');
    }

    this.trust = props.trust ?? TrustMode.LINK;
    if (this.trust !== TrustMode.LINK && this.trust !== TrustMode.CLAIM_RULE) {
      problems.add('trust', props.trust, 'trust is TrustMode.LINK ("link") or TrustMode.CLAIM_RULE ("claim-rule")');
    }

    this.clusters = Object.freeze(resolveClusters(problems, props.clusters));
    this.policies = Object.freeze(resolvePolicies(problems, props.policies));
    this.token = Object.freeze(resolveToken(problems, props.token));

    this.iamEndpoint = props.iamEndpoint ?? IamEndpoint.PUBLIC;
    const endpointProblem = this.iamEndpoint instanceof IamEndpoint
      ? this.iamEndpoint.problem()
      : 'use IamEndpoint.PUBLIC, IamEndpoint.PRIVATE, IamEndpoint.privateRegional(region) or IamEndpoint.fromUrl(url)';
    if (endpointProblem) problems.add('iamEndpoint', (this.iamEndpoint as IamEndpoint)?.url ?? props.iamEndpoint, endpointProblem);

    this.sdkServices = Object.freeze(resolveSdkServices(problems, props.sdkServices));

    if (this.trust === TrustMode.CLAIM_RULE && this.claimRules.length > MAX_CLAIM_RULES_PER_PROFILE) {
      problems.add('clusters', this.clusters.length, `IAM allows at most ${MAX_CLAIM_RULES_PER_PROFILE} claim rules per trusted profile, this identity needs ${this.claimRules.length}; split it into several identities`);
    }
    problems.throwIfAny();
  }

  /**
   * The claim rules this identity needs when `trust` is `CLAIM_RULE`: one per compute-resource
   * type, restricted to the clusters of that type.
   */
  public get claimRules(): ClaimRuleSpec[] {
    const byType = new Map<'IKS_SA' | 'ROKS_SA', Cluster[]>();
    for (const c of this.clusters) byType.set(c.crType, [...(byType.get(c.crType) ?? []), c]);
    return [...byType.entries()].map(([crType, clusters]) => ({
      key: crType === 'IKS_SA' ? 'iks' : 'roks',
      crType,
      namespace: this.serviceAccount.namespace,
      serviceAccountName: this.serviceAccount.name,
      clusters,
    }));
  }

  /**
   * The environment IBM's SDK cores and CLI read to exchange the token, in a stable order:
   * for each SDK service `<SERVICE>_AUTH_TYPE`, `_IAM_PROFILE_NAME`, `_CR_TOKEN_FILENAME` and,
   * off the public endpoint, `_AUTH_URL`; then `IBMCLOUD_CR_TOKEN` and `IBMCLOUD_CR_PROFILE`.
   *
   * @param sdkServices the services to configure; defaults to the identity's `sdkServices`
   */
  public environment(sdkServices: readonly string[] = this.sdkServices): EnvVar[] {
    if (sdkServices !== this.sdkServices) {
      const problems = new ProblemCollector(this.name);
      resolveSdkServices(problems, sdkServices);
      problems.throwIfAny();
    }
    const env: EnvVar[] = [];
    for (const service of sdkServices) {
      const prefix = sdkEnvPrefix(service);
      env.push({ name: `${prefix}_AUTH_TYPE`, value: 'container' });
      env.push({ name: `${prefix}_IAM_PROFILE_NAME`, value: this.profileName });
      env.push({ name: `${prefix}_CR_TOKEN_FILENAME`, value: this.token.filePath });
      if (!this.iamEndpoint.isPublic) env.push({ name: `${prefix}_AUTH_URL`, value: this.iamEndpoint.url });
    }
    env.push({ name: 'IBMCLOUD_CR_TOKEN', value: `@${this.token.filePath}` });
    env.push({ name: 'IBMCLOUD_CR_PROFILE', value: this.profileName });
    return env;
  }
}

function resolveSdkServices(problems: ProblemCollector, input: unknown): string[] {
  if (input === undefined) return [];
  if (!Array.isArray(input)) {
    problems.add('sdkServices', input, 'sdkServices is a list of IBM SDK service names, e.g. ["secrets_manager"]');
    return [];
  }
  const prefixes = new Map<string, number>();
  input.forEach((service, i) => {
    if (typeof service !== 'string' || !SDK_SERVICE_NAME.test(service)) {
      problems.add(`sdkServices[${i}]`, service, 'an SDK service name starts with a letter and has letters, digits, "_" and "-" only, e.g. "secrets_manager"');
      return;
    }
    const prefix = sdkEnvPrefix(service);
    const dup = prefixes.get(prefix);
    if (dup !== undefined) {
      problems.add(`sdkServices[${i}]`, service, `it reads the same ${prefix}_* variables as sdkServices[${dup}]; list each service once`);
    } else {
      prefixes.set(prefix, i);
    }
  });
  return [...input];
}
