import { Cluster, ClusterProps, resolveClusters } from './cluster';
import { ProblemCollector } from './errors';
import { IamEndpoint } from './iam-endpoint';
import { resolveAccessGroups } from './access-groups';
import { checkDerivedNames, checkIdentityNameLength, TerraformIds } from './derived-names';
import { checkDns1123Label, checkDns1123Subdomain, hasDns1123LabelSyntax } from './names';
import { AccessPolicy, AccessPolicyProps, resolvePolicies } from './policy';
import { EnvVar, SDK_SERVICE_NAME, sdkEnvPrefix } from './sdk-environment';
import { isKnownRuleId, KNOWN_RULE_IDS } from './rule-ids';
import { TextLanding, textProblem } from './text-policy';
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
  /** The service account that may assume the profile; the library's workloads run as it. */
  readonly serviceAccount: ServiceAccountRef;
  /**
   * Further service accounts the profile trusts, e.g. the same workload in other namespaces.
   * Each is linked on every cluster (or covered by the claim rules).
   * @default - none
   */
  readonly additionalServiceAccounts?: readonly ServiceAccountRef[];
  /**
   * Attach to a trusted profile that exists already instead of creating one. Then
   * `profileName` and `description` are not given.
   * @default - the Terraform side creates the profile
   */
  readonly existingProfile?: ExistingProfile;
  /** The clusters the workload runs on; the profile trusts the service account on these only. */
  readonly clusters: readonly ClusterProps[];
  /**
   * How the trust is expressed.
   * @default TrustMode.LINK
   */
  readonly trust?: TrustMode;
  /**
   * Whether claim rules name the declared clusters. Dropping the restriction lets the
   * namespace and service account on any cluster of the account assume the profile, so it
   * needs an acknowledgement of rule IWI-T1 in `acknowledgements`.
   * @default true
   */
  readonly restrictClaimRulesToClusters?: boolean;
  /**
   * The profile's access policies, each scoped to exactly one resource shape.
   * @default - none: the profile can authenticate but access nothing
   */
  readonly policies?: readonly AccessPolicyProps[];
  /**
   * IDs of existing IAM access groups (`AccessGroup-<32 hex>`) the trusted profile joins, so
   * workloads that need the same access share one group's policies instead of each carrying
   * copies (IAM allows 4,020 policies per account). The Terraform side manages each group's
   * membership with `ibm_iam_access_group_members`, which owns the group's whole member list:
   * use groups dedicated to the identities of one stack (see docs/provider-contract.md).
   * @default - none
   */
  readonly accessGroups?: readonly string[];
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
  /**
   * Rule findings this identity accepts on purpose, each with the reason. Acknowledged
   * findings do not fail synthesis; the acknowledgement is recorded in both outputs, so
   * `iks-workload-identity check` and reviewers see it.
   * @default - none
   */
  readonly acknowledgements?: readonly RuleAcknowledgement[];
}

/** A rule finding accepted on purpose. */
export interface RuleAcknowledgement {
  /** The rule's ID, e.g. `IWI-P1`. */
  readonly ruleId: string;
  /** Why the finding is acceptable here: read by reviewers and recorded in the outputs. */
  readonly reason: string;
}

/**
 * A trusted profile that already exists, managed elsewhere: the Terraform side adds only
 * links or claim rules and policies to it; the Kubernetes side selects it by name as usual.
 */
export interface ExistingProfile {
  /** The profile's name; pods select the profile by it. */
  readonly name: string;
  /**
   * The profile's ID (`Profile-<uuid>`). The Terraform side needs it to attach links, rules and
   * policies (the provider looks profiles up by ID only).
   * @default - none: only the Kubernetes side can be synthesized
   */
  readonly id?: string;
}

/** The rule ID of "claim rule without a cluster restriction", needed to opt out of it. */
export const UNRESTRICTED_CLAIM_RULE_RULE_ID = 'IWI-T1';

/** A claim rule the Terraform side emits: one per compute-resource type and service-account name. */
export interface ClaimRuleSpec {
  /** Stable key: `<iks|roks>-<service account name>`. */
  readonly key: string;
  readonly crType: 'IKS_SA' | 'ROKS_SA';
  /** The namespaces whose service account of this name may assume the profile (`EQUALS` or `IN`). */
  readonly namespaces: readonly string[];
  readonly serviceAccountName: string;
  /**
   * The clusters the rule is restricted to (claim `service_instance`); empty when the
   * restriction was dropped with an acknowledgement of IWI-T1.
   */
  readonly clusters: readonly Cluster[];
}

/**
 * A validated workload identity. Construction checks every field and throws a
 * `WorkloadIdentityError` listing each problem, so nothing is synthesized from a bad declaration.
 */
export class WorkloadIdentity {
  /** The identity's name: Kubernetes objects are named after it. */
  public readonly name: string;
  /** The trusted profile's name; pods select the profile by it. */
  public readonly profileName: string;
  /** The trusted profile's description. */
  public readonly description: string;
  /** The service account the library's workloads run as. */
  public readonly serviceAccount: Required<ServiceAccountRef>;
  /** Every service account the profile trusts: `serviceAccount` first, then `additionalServiceAccounts`. */
  public readonly serviceAccounts: readonly Required<ServiceAccountRef>[];
  /** The clusters the profile trusts the service accounts on, validated. */
  public readonly clusters: readonly Cluster[];
  /** How the trust is expressed: links or claim rules. */
  public readonly trust: TrustMode;
  /** Whether claim rules are restricted to the declared clusters (always, unless acknowledged). */
  public readonly claimRulesRestrictedToClusters: boolean;
  /** The profile's access policies, validated, instance CRNs turned into GUIDs. */
  public readonly policies: readonly AccessPolicy[];
  /** IDs of the IAM access groups the profile joins, sorted. */
  public readonly accessGroups: readonly string[];
  /** The projected token's audience, lifetime and path. */
  public readonly token: TokenSettings;
  /** The IAM endpoint pods exchange their token with. */
  public readonly iamEndpoint: IamEndpoint;
  /** IBM SDK service names configured in the pods' environment. */
  public readonly sdkServices: readonly string[];
  /** Rule findings accepted on purpose, with their reasons. */
  public readonly acknowledgements: readonly RuleAcknowledgement[];
  /** The existing profile this identity attaches to, if it does not create its own. */
  public readonly existingProfile?: ExistingProfile;

  constructor(props: WorkloadIdentityProps) {
    const label = typeof props?.name === 'string' && props.name !== '' ? props.name : '(unnamed)';
    const problems = new ProblemCollector(label);
    if (props === null || typeof props !== 'object') {
      problems.add('props', props, 'pass an object { name, serviceAccount, clusters, ... }');
      problems.throwIfAny();
    }

    const before = problems.count;
    // A label too long for the names derived from it is told the limit that applies: 51, not 63.
    if (typeof props.name === 'string' && hasDns1123LabelSyntax(props.name)) checkIdentityNameLength(problems, props.name);
    else checkDns1123Label(problems, 'name', props.name, 'the identity name');
    const nameValid = problems.count === before;
    this.name = props.name;

    this.existingProfile = resolveExistingProfile(problems, props);
    this.profileName = this.existingProfile?.name ?? props.profileName ?? props.name;
    const profileNameProblem = props.profileName === undefined ? undefined : profileNameRule(props.profileName);
    if (profileNameProblem) {
      problems.add('profileName', props.profileName, `the trusted profile name is a non-empty string without surrounding spaces, control characters, "$(", "\${" or "%{": ${profileNameProblem}; leave it out to use the identity name`);
    }

    const sa = props.serviceAccount;
    if (sa === null || typeof sa !== 'object') {
      problems.add('serviceAccount', sa, 'the identity needs the service account that runs the workload: { namespace: "payments" }');
      this.serviceAccount = { namespace: '', name: '' };
    } else {
      this.serviceAccount = resolveServiceAccount(problems, 'serviceAccount', sa, props.name, nameValid);
    }
    this.serviceAccounts = Object.freeze([this.serviceAccount, ...resolveAdditionalServiceAccounts(problems, props, this.serviceAccount)]);

    this.description = props.description
      ?? `Workload identity for ${this.serviceAccount.namespace}/${this.serviceAccount.name}, managed by iks-workload-identity`;
    if (typeof this.description !== 'string') {
      problems.add('description', props.description, 'the description is a string; leave it out for the default');
    } else {
      const why = textProblem(this.description, TextLanding.FREE_TEXT);
      if (why) problems.add('description', props.description, why);
    }

    this.trust = props.trust ?? TrustMode.LINK;
    if (this.trust !== TrustMode.LINK && this.trust !== TrustMode.CLAIM_RULE) {
      problems.add('trust', props.trust, 'trust is TrustMode.LINK ("link") or TrustMode.CLAIM_RULE ("claim-rule")');
    }

    this.clusters = Object.freeze(resolveClusters(problems, props.clusters));
    this.policies = Object.freeze(resolvePolicies(problems, props.policies));
    this.accessGroups = Object.freeze(resolveAccessGroups(problems, props.accessGroups));
    this.token = Object.freeze(resolveToken(problems, props.token));

    this.iamEndpoint = props.iamEndpoint ?? IamEndpoint.PUBLIC;
    const endpointProblem = this.iamEndpoint instanceof IamEndpoint
      ? this.iamEndpoint.problem()
      : 'use IamEndpoint.PUBLIC, IamEndpoint.PRIVATE, IamEndpoint.privateRegional(region) or IamEndpoint.fromUrl(url)';
    if (endpointProblem) problems.add('iamEndpoint', (this.iamEndpoint as IamEndpoint)?.url ?? props.iamEndpoint, endpointProblem);

    this.sdkServices = Object.freeze(resolveSdkServices(problems, props.sdkServices));
    this.acknowledgements = Object.freeze(resolveAcknowledgements(problems, props.acknowledgements));

    this.claimRulesRestrictedToClusters = props.restrictClaimRulesToClusters ?? true;
    if (typeof this.claimRulesRestrictedToClusters !== 'boolean') {
      problems.add('restrictClaimRulesToClusters', props.restrictClaimRulesToClusters, 'restrictClaimRulesToClusters is true or false');
    } else if (!this.claimRulesRestrictedToClusters) {
      if (this.trust !== TrustMode.CLAIM_RULE) {
        problems.add('restrictClaimRulesToClusters', false, 'only claim rules can drop the cluster restriction (links name one cluster each); leave it out');
      } else if (this.acknowledgement(UNRESTRICTED_CLAIM_RULE_RULE_ID) === undefined) {
        problems.add('restrictClaimRulesToClusters', false, `without the cluster restriction, the namespace and service account on ANY cluster of the account can assume the profile; if that is intended, acknowledge rule ${UNRESTRICTED_CLAIM_RULE_RULE_ID} in acknowledgements with the reason`);
      }
    }

    const claimRuleCount = this.trust === TrustMode.CLAIM_RULE ? this.claimRules.length : 0;
    if (claimRuleCount > MAX_CLAIM_RULES_PER_PROFILE) {
      problems.add('additionalServiceAccounts', this.serviceAccounts.length, `IAM allows at most ${MAX_CLAIM_RULES_PER_PROFILE} claim rules per trusted profile, this identity needs ${claimRuleCount} (one per cluster kind and service-account name); give the service accounts one name, or split the identity`);
    }
    // The names both sides derive are checked once every field they derive from is valid.
    if (problems.count === 0) {
      checkDerivedNames(problems, { name: this.name, serviceAccounts: this.serviceAccounts, clusters: this.clusters, policies: this.policies, links: this.trust === TrustMode.LINK });
    }
    problems.throwIfAny();
  }

  /**
   * The claim rules this identity needs when `trust` is `CLAIM_RULE`: one per compute-resource
   * type and service-account name, over the namespaces that use that name (`IN` when several),
   * restricted to the clusters of that type. Grouping by name keeps the rules exact: a rule on
   * `namespace IN [a, b]` and `name = x` trusts a/x and b/x and nothing else.
   */
  public get claimRules(): ClaimRuleSpec[] {
    const byType = new Map<'IKS_SA' | 'ROKS_SA', Cluster[]>();
    for (const c of this.clusters) byType.set(c.crType, [...(byType.get(c.crType) ?? []), c]);
    const byName = new Map<string, string[]>();
    for (const sa of this.serviceAccounts) byName.set(sa.name, [...(byName.get(sa.name) ?? []), sa.namespace]);
    const rules: ClaimRuleSpec[] = [];
    for (const [crType, clusters] of byType) {
      for (const [name, namespaces] of byName) {
        rules.push({
          key: TerraformIds.claimRuleKey(crType, name),
          crType,
          namespaces: [...namespaces].sort(),
          serviceAccountName: name,
          clusters: this.claimRulesRestrictedToClusters ? clusters : [],
        });
      }
    }
    return rules;
  }

  /** The reason this identity gives for accepting findings of `ruleId`, if it does. */
  public acknowledgement(ruleId: string): string | undefined {
    return this.acknowledgements.find((a) => a.ruleId === ruleId)?.reason;
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

const RULE_ID = /^[A-Z][A-Z0-9]*-[A-Z0-9]+$/;

function resolveAcknowledgements(problems: ProblemCollector, input: unknown): RuleAcknowledgement[] {
  if (input === undefined) return [];
  if (!Array.isArray(input)) {
    problems.add('acknowledgements', input, 'acknowledgements is a list of { ruleId, reason }');
    return [];
  }
  const seen = new Map<string, number>();
  input.forEach((ack: RuleAcknowledgement, i) => {
    const field = `acknowledgements[${i}]`;
    if (ack === null || typeof ack !== 'object' || typeof ack.ruleId !== 'string' || !RULE_ID.test(ack.ruleId)) {
      problems.add(`${field}.ruleId`, ack?.ruleId, 'name the rule by its ID, e.g. "IWI-P1" (the README lists the rules)');
    } else if (!isKnownRuleId(ack.ruleId)) {
      problems.add(`${field}.ruleId`, ack.ruleId, `there is no rule ${ack.ruleId}, so the acknowledgement would accept nothing; the rules are ${KNOWN_RULE_IDS.join(', ')}`);
    } else if (typeof ack.reason !== 'string' || ack.reason.trim().length < 10) {
      problems.add(`${field}.reason`, ack.reason, 'an acknowledgement says why the finding is acceptable, in at least 10 characters; reviewers read it in the outputs');
    } else if (textProblem(ack.reason, TextLanding.FREE_TEXT)) {
      problems.add(`${field}.reason`, ack.reason, textProblem(ack.reason, TextLanding.FREE_TEXT)!);
    } else if (seen.has(ack.ruleId)) {
      problems.add(`${field}.ruleId`, ack.ruleId, `acknowledgements[${seen.get(ack.ruleId)}] already acknowledges it; give one reason per rule`);
    } else {
      seen.set(ack.ruleId, i);
    }
  });
  return input.map((a: RuleAcknowledgement) => Object.freeze({ ruleId: a?.ruleId, reason: a?.reason }));
}

/**
 * Why `value` cannot be a profile name, or undefined. Profile names travel into pod environment
 * values, where Kubernetes expands `$(VAR)`, and into Terraform strings, where `${` and `%{`
 * start templates: the text policy refuses those, and control characters, in a name.
 */
function profileNameRule(value: unknown): string | undefined {
  if (typeof value !== 'string' || value.trim() === '') return 'it is empty or not a string';
  if (value !== value.trim()) return 'it has surrounding spaces';
  return textProblem(value, TextLanding.KUBELET_AND_TERRAFORM);
}

function resolveServiceAccount(problems: ProblemCollector, field: string, sa: ServiceAccountRef, defaultName: string, defaultValid: boolean): Required<ServiceAccountRef> {
  checkDns1123Label(problems, `${field}.namespace`, sa.namespace, 'a namespace');
  // A name that defaults to an invalid identity name is reported once, on `name`.
  if (sa.name !== undefined || defaultValid) {
    checkDns1123Subdomain(problems, `${field}.name`, sa.name ?? defaultName, 'a service account name');
  }
  return Object.freeze({ namespace: sa.namespace, name: sa.name ?? defaultName });
}

function resolveAdditionalServiceAccounts(problems: ProblemCollector, props: WorkloadIdentityProps, primary: Required<ServiceAccountRef>): Required<ServiceAccountRef>[] {
  const input = props.additionalServiceAccounts as unknown;
  if (input === undefined) return [];
  if (!Array.isArray(input)) {
    problems.add('additionalServiceAccounts', input, 'additionalServiceAccounts is a list of { namespace, name? }');
    return [];
  }
  const seen = new Map<string, string>([[`${primary.namespace}/${primary.name}`, 'serviceAccount']]);
  const out: Required<ServiceAccountRef>[] = [];
  input.forEach((sa: ServiceAccountRef, i) => {
    const field = `additionalServiceAccounts[${i}]`;
    if (sa === null || typeof sa !== 'object') {
      problems.add(field, sa, 'each service account is an object { namespace, name? }');
      return;
    }
    const before = problems.count;
    const resolved = resolveServiceAccount(problems, field, sa, props.name, true);
    if (problems.count > before) return;
    const key = `${resolved.namespace}/${resolved.name}`;
    if (seen.has(key)) {
      problems.add(field, key, `${seen.get(key)} is the same service account; trust each one once`);
      return;
    }
    seen.set(key, field);
    out.push(resolved);
  });
  return out;
}

const PROFILE_ID = /^Profile-[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

function resolveExistingProfile(problems: ProblemCollector, props: WorkloadIdentityProps): ExistingProfile | undefined {
  const existing = props.existingProfile as unknown;
  if (existing === undefined) return undefined;
  if (existing === null || typeof existing !== 'object') {
    problems.add('existingProfile', existing, 'existingProfile is { name, id? } of a trusted profile that exists already');
    return undefined;
  }
  const { name, id } = existing as ExistingProfile;
  const nameProblem = profileNameRule(name);
  if (nameProblem) {
    problems.add('existingProfile.name', name, `give the existing profile's name, without surrounding spaces, control characters, "$(", "\${" or "%{" (${nameProblem}): pods select the profile by it`);
  }
  if (id !== undefined && (typeof id !== 'string' || !PROFILE_ID.test(id))) {
    problems.add('existingProfile.id', id, 'a trusted profile ID looks like "Profile-<uuid>"; copy it from the profile details in the IAM console');
  }
  if (props.profileName !== undefined) {
    problems.add('profileName', props.profileName, 'the profile exists already and is named by existingProfile.name; remove profileName');
  }
  if (props.description !== undefined) {
    problems.add('description', props.description, 'the profile exists already, so its description is managed where it was created; remove description');
  }
  return Object.freeze({ name, id });
}
