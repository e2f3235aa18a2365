import { createHash } from 'crypto';
import { Annotations, Lazy, TerraformStack } from './engine';
import { Construct, IConstruct } from 'constructs';
import { checkAccountLimits } from '../model/account-limits';
import { TerraformIds } from '../model/derived-names';
import { ClusterInfrastructure, ClusterLookup } from '../model/cluster';
import { WorkloadIdentity } from '../model/workload-identity';
import { DataIbmContainerCluster } from './generated/providers/ibm/data-ibm-container-cluster';
import { DataIbmContainerVpcCluster } from './generated/providers/ibm/data-ibm-container-vpc-cluster';
import { DataIbmIamTrustedProfile } from './generated/providers/ibm/data-ibm-iam-trusted-profile';
import { IamAccessGroupMembers } from './generated/providers/ibm/iam-access-group-members';

/** A cluster data source: VPC (`ibm_container_vpc_cluster`) or classic (`ibm_container_cluster`). */
export type ClusterDataSource = DataIbmContainerVpcCluster | DataIbmContainerCluster;

/** The construct ID of the one `IdentityStackResources` per stack, a child of the stack. */
export const STACK_RESOURCES_ID = 'iks-workload-identity';

const SAFE_ID = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;

/**
 * What the `WorkloadIdentityProfile`s of one stack share: one data source per looked-up cluster
 * and per existing trusted profile (a thousand identities on one cluster or one team profile
 * read it once per plan, not a thousand times), one `ibm_iam_access_group_members` per access
 * group, and the account-limit check over every identity in the stack. Found through the
 * construct tree with `IdentityStackResources.of`; every child's ID comes from the values it is
 * keyed by, so addresses stay stable.
 */
export class IdentityStackResources extends Construct {
  /** The stack's instance, created on first use as a child of the stack. */
  public static of(scope: IConstruct): IdentityStackResources {
    const stack = TerraformStack.of(scope);
    const existing = stack.node.tryFindChild(STACK_RESOURCES_ID);
    if (existing === undefined) return new IdentityStackResources(stack, STACK_RESOURCES_ID);
    if (!(existing instanceof IdentityStackResources)) {
      throw new Error(`${stack.node.path}: the construct ID "${STACK_RESOURCES_ID}" is reserved for the resources the workload identities of a stack share; rename the construct that uses it`);
    }
    return existing;
  }

  private readonly lookups = new Map<string, ClusterDataSource>();
  private readonly lookupKeysById = new Map<string, string>();
  private readonly groups = new Map<string, { readonly resource: IamAccessGroupMembers; readonly members: Map<string, string> }>();
  private readonly identities: WorkloadIdentity[] = [];
  private readonly existingProfiles = new Map<string, DataIbmIamTrustedProfile>();

  private constructor(scope: Construct, id: string) {
    super(scope, id);
    this.node.addValidation({
      validate: () => {
        const errors: string[] = [];
        checkAccountLimits(this.identities, {
          onError: (f) => errors.push(`IAM account limit in stack ${TerraformStack.of(this).node.id}: ${f.message}`),
          onWarning: (m) => Annotations.of(this).addWarning(m),
        });
        return errors;
      },
    });
  }

  /** Records an identity for the stack's account-limit check. */
  public register(identity: WorkloadIdentity): void {
    this.identities.push(identity);
  }

  /** The data source reading `lookup`'s cluster, shared by every identity on that cluster. */
  public clusterLookup(lookup: ClusterLookup & { readonly infrastructure: ClusterInfrastructure }): ClusterDataSource {
    const key = JSON.stringify([lookup.infrastructure, lookup.nameOrId, lookup.resourceGroupId ?? null]);
    const known = this.lookups.get(key);
    if (known) return known;
    const readable = `cluster-${lookup.infrastructure}-${lookup.nameOrId}${lookup.resourceGroupId ? `-in-${lookup.resourceGroupId}` : ''}`;
    // A readable ID when the values allow one and no other lookup has it; a digest otherwise.
    const id = SAFE_ID.test(readable) && !this.lookupKeysById.has(readable)
      ? readable
      : `cluster-${lookup.infrastructure}-${createHash('sha256').update(key).digest('hex').slice(0, 16)}`;
    this.lookupKeysById.set(id, key);
    const config = { name: lookup.nameOrId, resourceGroupId: lookup.resourceGroupId };
    const source = lookup.infrastructure === 'classic'
      ? new DataIbmContainerCluster(this, id, config)
      : new DataIbmContainerVpcCluster(this, id, config);
    this.lookups.set(key, source);
    return source;
  }

  /**
   * The data source reading the existing trusted profile `profileId`, shared by every identity
   * of the stack attached to it. It only reads: destroying the stack leaves the profile in place.
   */
  public existingProfile(profileId: string): DataIbmIamTrustedProfile {
    const known = this.existingProfiles.get(profileId);
    if (known) return known;
    const readable = `${TerraformIds.existingProfile}-${profileId}`;
    // IDs are the key itself when it is a plain word, so two profiles never share one.
    const id = SAFE_ID.test(readable) ? readable : `${TerraformIds.existingProfile}-${createHash('sha256').update(profileId).digest('hex').slice(0, 16)}`;
    const source = new DataIbmIamTrustedProfile(this, id, { profileId });
    this.existingProfiles.set(profileId, source);
    return source;
  }

  /**
   * Adds a trusted profile to an access group's members. The provider's
   * `ibm_iam_access_group_members` (v2.5.0) reads back every member of the group and removes, on
   * the next apply, those its configuration does not list: so one resource per group lists every
   * profile of the stack that joins it, and the group must not have members managed elsewhere.
   */
  public joinAccessGroup(groupId: string, identityName: string, profileId: string): IamAccessGroupMembers {
    let group = this.groups.get(groupId);
    if (!group) {
      const members = new Map<string, string>();
      const resource = new IamAccessGroupMembers(this, `access-group-${groupId}`, {
        accessGroupId: groupId,
        // Sorted by identity name, so the order of declarations does not change the JSON.
        iamProfileIds: Lazy.listValue({ produce: () => [...members].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, id]) => id) }),
      });
      group = { resource, members };
      this.groups.set(groupId, group);
    }
    group.members.set(identityName, profileId);
    return group.resource;
  }
}
