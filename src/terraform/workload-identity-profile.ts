import { DefaultTokenResolver, StringConcat, TerraformLocal, TerraformOutput, TerraformStack, Token, Tokenization } from './engine';
import { Construct } from 'constructs';
import { Cluster } from '../model/cluster';
import { PROFILE_OUTPUT_SUFFIXES, ProfileOutputSuffix, TerraformIds, terraformOutputName } from '../model/derived-names';
import { AccessPolicy } from '../model/policy';
import { escapeTerraformTemplate } from '../model/text-policy';
import { ClaimRuleSpec, TrustMode, WorkloadIdentity } from '../model/workload-identity';
import { addTerraformRuleChecks } from '../rules/synth';
import { claimEqualsAnyOf } from './claim-condition';
import { DataIbmIamTrustedProfile } from './generated/providers/ibm/data-ibm-iam-trusted-profile';
import { IamAccessGroupMembers } from './generated/providers/ibm/iam-access-group-members';
import { IamTrustedProfile } from './generated/providers/ibm/iam-trusted-profile';
import { IamTrustedProfileClaimRule } from './generated/providers/ibm/iam-trusted-profile-claim-rule';
import { IamTrustedProfileLink } from './generated/providers/ibm/iam-trusted-profile-link';
import {
  IamTrustedProfilePolicy,
  IamTrustedProfilePolicyConfig,
  IamTrustedProfilePolicyResources,
} from './generated/providers/ibm/iam-trusted-profile-policy';
import { ClusterDataSource, IdentityStackResources } from './stack-shared';

/** Properties of a `WorkloadIdentityProfile`. */
export interface WorkloadIdentityProfileProps {
  /**
   * The validated workload identity to express in IAM. The Kubernetes side renders the same
   * object, so both sides agree on profile name, namespace and service account.
   */
  readonly identity: WorkloadIdentity;
  /**
   * Whether to add Terraform outputs for the profile's ID, IAM ID and CRN, named
   * `<identity name>_profile_id`, `<identity name>_profile_iam_id` and
   * `<identity name>_profile_crn` (with `-` turned into `_`).
   * @default true
   */
  readonly outputs?: boolean;
}

/**
 * The IAM side of a workload identity: a trusted profile, the trust that lets the identity's
 * Kubernetes service account assume it (links or claim rules) and its access policies.
 *
 * Every child's construct ID comes from a stable key (cluster key, claim-rule key, policy
 * name), never from a list position, so reordering clusters or policies in the declaration
 * changes no Terraform address and replaces nothing. Children are also created in key order,
 * so a reordered declaration synthesizes byte-identical JSON.
 *
 * The construct creates neither the provider nor the stack: add it to a `TerraformStack` that
 * configures `ibm.provider.IbmProvider`.
 */
export class WorkloadIdentityProfile extends Construct {
  /** The identity this profile expresses. */
  public readonly identity: WorkloadIdentity;
  /**
   * The `ibm_iam_trusted_profile`, or the `ibm_iam_trusted_profile` data source when the
   * identity attaches to an `existingProfile`: one per stack and profile, a child of the stack's
   * `IdentityStackResources` (`iks-workload-identity/existing-profile-<profile ID>`), shared by
   * every identity attached to it.
   */
  public readonly profile: IamTrustedProfile | DataIbmIamTrustedProfile;
  /** The profile's ID (`Profile-<uuid>`), known after apply. */
  public readonly profileId: string;
  /** The profile's IAM ID (`iam-Profile-<uuid>`), the subject of its policies. */
  public readonly profileIamId: string;
  /** The profile's CRN. */
  public readonly profileCrn: string;
  /**
   * The data sources of looked-up clusters (`ibm_container_vpc_cluster`, or
   * `ibm_container_cluster` for classic ones), by cluster key. They belong to the stack and are
   * shared by every identity on the same cluster.
   */
  public readonly clusterLookups: ReadonlyMap<string, ClusterDataSource>;
  /**
   * The `ibm_iam_trusted_profile_link`s, by `<cluster key>/<namespace>/<service account>`;
   * empty unless `trust` is `LINK`.
   */
  public readonly links: ReadonlyMap<string, IamTrustedProfileLink>;
  /**
   * The `ibm_iam_trusted_profile_claim_rule`s, by claim-rule key (`iks-<service account>`,
   * `roks-<service account>`); empty unless `trust` is `CLAIM_RULE`.
   */
  public readonly claimRules: ReadonlyMap<string, IamTrustedProfileClaimRule>;
  /**
   * The `ibm_iam_trusted_profile_policy`s, by policy name. A policy with `ruleConditions` has the
   * construct ID `conditional-policy-<name>`, a plain one `policy-<name>`: the provider cannot
   * add or remove conditions in place, so the address changes and Terraform replaces it.
   */
  public readonly policies: ReadonlyMap<string, IamTrustedProfilePolicy>;
  /**
   * The `ibm_iam_access_group_members` of the access groups the profile joins, by group ID. They
   * belong to the stack: one per group, listing every profile of the stack that joins it.
   */
  public readonly accessGroupMemberships: ReadonlyMap<string, IamAccessGroupMembers>;

  constructor(scope: Construct, id: string, props: WorkloadIdentityProfileProps) {
    super(scope, id);
    const identity = props?.identity;
    if (!(identity instanceof WorkloadIdentity)) {
      // A plain object would skip the model's validation, and a bad declaration would only
      // fail at `terraform apply`, half-applied.
      throw new Error(`WorkloadIdentityProfile ${this.node.path}: props.identity must be a WorkloadIdentity; build it with new WorkloadIdentity({ name, serviceAccount, clusters, policies }) so it is validated`);
    }
    this.identity = identity;
    this.checkUniqueInStack();

    const existing = identity.existingProfile;
    if (existing && existing.id === undefined) {
      throw new Error(`WorkloadIdentityProfile ${this.node.path}: WorkloadIdentity "${identity.name}" attaches to existingProfile "${existing.name}" without existingProfile.id; the Terraform provider looks profiles up by ID only, so set existingProfile.id ("Profile-<uuid>")`);
    }
    const shared = IdentityStackResources.of(this);
    // An existing profile is read, never managed (destroying this stack leaves it in place), by
    // one data source per stack and profile, shared by every identity attached to it.
    this.profile = existing
      ? shared.existingProfile(existing.id!)
      : new IamTrustedProfile(this, TerraformIds.profile, { name: literal(identity.profileName), description: literal(identity.description) });
    this.profileId = existing ? existing.id! : this.profile.id;
    this.profileIamId = this.profile.iamId;
    this.profileCrn = this.profile.crn;

    shared.register(identity);
    const clusters = byKey(identity.clusters, (c) => c.key);
    const lookups = new Map<string, ClusterDataSource>();
    for (const cluster of clusters) {
      if (cluster.lookup !== undefined) lookups.set(cluster.key, shared.clusterLookup(cluster.lookup));
    }
    this.clusterLookups = lookups;

    const links = new Map<string, IamTrustedProfileLink>();
    const claimRules = new Map<string, IamTrustedProfileClaimRule>();
    if (identity.trust === TrustMode.CLAIM_RULE) {
      for (const rule of byKey(identity.claimRules, (r) => r.key)) {
        claimRules.set(rule.key, this.addClaimRule(rule));
      }
    } else {
      const accounts = byKey(identity.serviceAccounts, (sa) => `${sa.namespace}/${sa.name}`);
      for (const cluster of clusters) {
        for (const sa of accounts) {
          links.set(TerraformIds.linkKey(cluster.key, sa), this.addLink(cluster, sa));
        }
      }
    }
    this.links = links;
    this.claimRules = claimRules;

    const policies = new Map<string, IamTrustedProfilePolicy>();
    for (const policy of byKey(identity.policies, (p) => p.name)) {
      policies.set(policy.name, this.addPolicy(policy));
    }
    this.policies = policies;

    const memberships = new Map<string, IamAccessGroupMembers>();
    for (const groupId of identity.accessGroups) {
      memberships.set(groupId, shared.joinAccessGroup(groupId, identity.name, this.profileId));
    }
    this.accessGroupMemberships = memberships;

    if (props.outputs ?? true) this.addOutputs();
    // The policy and trust rules fail `app.synth()` before cdktf writes the stack.
    addTerraformRuleChecks(this, identity, {
      makeLocal: (id) => new TerraformLocal(this, id, {}),
      resolve: (value) => Tokenization.resolve(value, { scope: this, resolver: new DefaultTokenResolver(new StringConcat()) }),
    });
  }

  private addLink(cluster: Cluster, sa: { namespace: string; name: string }): IamTrustedProfileLink {
    const { namespace, name } = sa;
    return new IamTrustedProfileLink(this, TerraformIds.link(cluster.key, sa), {
      profileId: this.profileId,
      crType: cluster.crType,
      // Shown in the IAM console next to the link; every argument of a link forces a new one,
      // so the name uses only values that already force it.
      name: `${namespace}/${name}@${cluster.key}`,
      link: { crn: this.clusterCrn(cluster), namespace, name },
    });
  }

  private addClaimRule(rule: ClaimRuleSpec): IamTrustedProfileClaimRule {
    // Without the cluster condition, the same namespace and service account on any cluster of
    // the account could assume the profile: the model allows that only when acknowledged.
    const clusterIds = byKey(rule.clusters, (c) => c.key).map((c) => this.clusterId(c));
    const conditions = [
      claimEqualsAnyOf('namespace', rule.namespaces),
      claimEqualsAnyOf('name', [rule.serviceAccountName]),
    ];
    if (clusterIds.length > 0) conditions.push(claimEqualsAnyOf('service_instance', clusterIds));
    return new IamTrustedProfileClaimRule(this, TerraformIds.claimRule(rule.key), {
      profileId: this.profileId,
      type: 'Profile-CR',
      crType: rule.crType,
      name: `${rule.namespaces.join(',')}/${rule.serviceAccountName}@${rule.crType === 'IKS_SA' ? 'iks' : 'roks'}`,
      conditions,
    });
  }

  private addPolicy(policy: AccessPolicy): IamTrustedProfilePolicy {
    const config: IamTrustedProfilePolicyConfig = {
      // `profile_id` is deprecated on this resource since provider 1.82.0; `iam_id` is the subject.
      iamId: this.profileIamId,
      roles: [...policy.roles],
      description: policy.description === undefined ? undefined : literal(policy.description),
      ...policyScope(policy),
      resourceTags: policy.resourceTags?.length
        ? policy.resourceTags.map((t) => ({ name: t.name, value: t.value, operator: t.operator ?? 'stringEquals' }))
        : undefined,
      ...ruleConditions(policy),
    };
    return new IamTrustedProfilePolicy(this, TerraformIds.policy(policy.name, policy.conditional), config);
  }

  private addOutputs(): void {
    const what = `the trusted profile "${this.identity.profileName}"`;
    const [id, iamId, crn] = PROFILE_OUTPUT_SUFFIXES;
    const outputs: Array<[ProfileOutputSuffix, string, string]> = [
      [id, this.profileId, `ID of ${what}`],
      [iamId, this.profileIamId, `IAM ID of ${what}, the subject of its policies`],
      [crn, this.profileCrn, `CRN of ${what}`],
    ];
    for (const [suffix, value, description] of outputs) {
      // Outputs are read by name (`terraform output <name>`), so they get the identity's name
      // rather than cdktf's path hash.
      const output = new TerraformOutput(this, TerraformIds.output(suffix), { value, description: literal(description) });
      output.overrideLogicalId(terraformOutputName(this.identity.name, suffix));
    }
  }

  private clusterCrn(cluster: Cluster): string {
    return cluster.crn ?? this.lookupOf(cluster).crn;
  }

  private clusterId(cluster: Cluster): string {
    return cluster.clusterId ?? this.lookupOf(cluster).id;
  }

  private lookupOf(cluster: Cluster): ClusterDataSource {
    const lookup = this.clusterLookups.get(cluster.key);
    if (!lookup) {
      throw new Error(`WorkloadIdentityProfile ${this.node.path}: cluster "${cluster.key}" has neither crn nor lookup; build the identity with new WorkloadIdentity(...) so it is validated`);
    }
    return lookup;
  }

  /**
   * Profile names are unique in an account and output names unique in a stack, so two
   * profiles for the same identity in one stack could never both apply. A registry per stack
   * keeps this check constant-time for stacks with thousands of identities.
   */
  private checkUniqueInStack(): void {
    const stack = TerraformStack.of(this);
    let seen = RENDERED.get(stack);
    if (!seen) RENDERED.set(stack, (seen = new Map()));
    // Several identities may attach to one existing profile (the declarations loader allows it);
    // a created profile's name collides with any other profile of that name.
    const own = this.identity.existingProfile ? `existing:${this.identity.profileName}` : `created:${this.identity.profileName}`;
    const against = this.identity.existingProfile ? [`created:${this.identity.profileName}`] : [own, `existing:${this.identity.profileName}`];
    for (const key of [`name:${this.identity.name}`, ...against]) {
      const other = seen.get(key);
      if (other !== undefined) {
        throw new Error(`WorkloadIdentityProfile ${this.node.path}: props.identity (name "${this.identity.name}", profileName "${this.identity.profileName}") is already rendered by ${other} in this stack; trusted profile names are unique in an account, so declare each identity once`);
      }
    }
    seen.set(`name:${this.identity.name}`, this.node.path);
    seen.set(own, this.node.path);
  }
}

/** Identity and profile names already rendered in each stack, with the construct path. */
const RENDERED = new WeakMap<TerraformStack, Map<string, string>>();

/** The `resources {}`, `resource_attributes {}` or `account_management` part of a policy. */
function policyScope(policy: AccessPolicy): Partial<IamTrustedProfilePolicyConfig> {
  switch (policy.shape) {
    case 'resources': {
      const r = policy.resources!;
      const resources: IamTrustedProfilePolicyResources = {
        service: r.service,
        resourceInstanceId: r.resourceInstanceId,
        region: r.region,
        resourceType: r.resourceType,
        resource: r.resource,
        resourceGroupId: r.resourceGroupId,
        serviceType: r.serviceType,
        serviceGroupId: r.serviceGroupId,
        attributes: r.attributes ? { ...r.attributes } : undefined,
      };
      return { resources };
    }
    case 'resourceAttributes':
      return {
        resourceAttributes: policy.resourceAttributes!.map((a) => ({
          name: a.name,
          value: a.value,
          operator: a.operator ?? 'stringEquals',
        })),
      };
    case 'accountManagement':
      return { accountManagement: true };
    default:
      throw new Error(`policy "${policy.name}": unknown shape ${JSON.stringify(policy.shape)}; give exactly one of resources, resourceAttributes or accountManagement: true`);
  }
}

/**
 * Conditions on the request (e.g. working hours), as the model resolved them: with the pattern
 * IAM requires, and without `rule_operator` for one condition (the provider folds a one-condition
 * rule and would read the condition's operator back as `rule_operator`).
 */
function ruleConditions(policy: AccessPolicy): Partial<IamTrustedProfilePolicyConfig> {
  if (!policy.conditional || !policy.ruleConditions?.length) return {};
  return {
    ruleConditions: policy.ruleConditions.map((c) => ({ key: c.key, operator: c.operator, value: [...c.value] })),
    ruleOperator: policy.ruleOperator,
    pattern: policy.pattern,
  };
}

/**
 * Free text as a Terraform string literal: `${` and `%{` would otherwise start an
 * interpolation or a directive in the synthesized JSON.
 */
function literal(text: string): string {
  return Token.isUnresolved(text) ? text : escapeTerraformTemplate(text);
}

/** Sorted by key, by code unit rather than locale, so the order is the same on every machine. */
function byKey<T>(items: readonly T[], key: (item: T) => string): T[] {
  return [...items].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}
