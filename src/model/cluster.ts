import { CLUSTER_SERVICE_NAME, parseCrn } from './crn';
import { ProblemCollector } from './errors';
import { literalProblem } from './literal';

/** The kind of cluster a workload runs on; it selects the compute-resource type IAM trusts. */
export enum ClusterKind {
  /** IBM Cloud Kubernetes Service: trusted as `IKS_SA`. */
  IKS = 'IKS',
  /** Red Hat OpenShift on IBM Cloud: trusted as `ROKS_SA`. */
  ROKS = 'ROKS',
}

/** The compute-resource type IAM uses for service accounts on each kind of cluster. */
export const CR_TYPE: Readonly<Record<ClusterKind, 'IKS_SA' | 'ROKS_SA'>> = {
  [ClusterKind.IKS]: 'IKS_SA',
  [ClusterKind.ROKS]: 'ROKS_SA',
};

/** The infrastructure a cluster runs on; it selects the data source that can read it. */
export type ClusterInfrastructure = 'vpc' | 'classic';

/** The Terraform data source that reads clusters of each infrastructure. */
export const CLUSTER_DATA_SOURCE: Readonly<Record<ClusterInfrastructure, string>> = {
  vpc: 'ibm_container_vpc_cluster',
  classic: 'ibm_container_cluster',
};

/**
 * A cluster found by the Terraform side at plan time: `ibm_container_vpc_cluster` reads VPC
 * clusters only, `ibm_container_cluster` classic ones (provider issue #1363), so say which.
 */
export interface ClusterLookup {
  /** The cluster's name or ID, as `ibmcloud ks cluster ls` shows it. */
  readonly nameOrId: string;
  /**
   * The resource group to search, when names are not unique across groups.
   * @default - the provider's default resource group
   */
  readonly resourceGroupId?: string;
  /**
   * `vpc` for a VPC cluster (`ibm_container_vpc_cluster`), `classic` for a classic one
   * (`ibm_container_cluster`). `ibmcloud ks cluster get --cluster <name>` shows it as
   * "Provider" (`vpc-gen2` or `classic`).
   * @default "vpc"
   */
  readonly infrastructure?: ClusterInfrastructure;
}

/** One cluster the workload runs on. Give exactly one of `crn` and `lookup`. */
export interface ClusterProps {
  /** IKS or ROKS. */
  readonly kind: ClusterKind;
  /**
   * The cluster's CRN (`crn:v1:bluemix:public:containers-kubernetes:<region>:a/<account>:<cluster-id>::`).
   * @default - none; then `lookup` is required
   */
  readonly crn?: string;
  /**
   * Find the cluster by name or ID when Terraform plans (Terraform side only; the Kubernetes
   * side does not need the cluster).
   * @default - none; then `crn` is required
   */
  readonly lookup?: ClusterLookup;
  /**
   * A stable key for this cluster, used in Terraform logical IDs. Changing it replaces the
   * cluster's link, so choose it once.
   * @default - the cluster ID from the CRN, or `lookup.nameOrId`
   */
  readonly key?: string;
}

/** A validated cluster. */
export interface Cluster {
  readonly kind: ClusterKind;
  readonly crType: 'IKS_SA' | 'ROKS_SA';
  readonly key: string;
  readonly crn?: string;
  /** The cluster ID from the CRN; absent for looked-up clusters (Terraform resolves it). */
  readonly clusterId?: string;
  /** With `infrastructure` filled in. */
  readonly lookup?: ClusterLookup & { readonly infrastructure: ClusterInfrastructure };
}

const KEY = /^[a-zA-Z0-9][a-zA-Z0-9_-]*$/;

/** @internal */
export function resolveClusters(problems: ProblemCollector, input: unknown): Cluster[] {
  if (!Array.isArray(input) || input.length === 0) {
    problems.add('clusters', input, 'a workload identity needs at least one cluster to trust; add { kind: ClusterKind.IKS, crn: "crn:v1:bluemix:public:containers-kubernetes:..." }');
    return [];
  }
  const clusters: Cluster[] = [];
  const seenKeys = new Map<string, number>();
  const seenCrns = new Map<string, number>();
  input.forEach((raw: ClusterProps, i) => {
    const field = `clusters[${i}]`;
    const before = problems.count;
    if (raw === null || typeof raw !== 'object') {
      problems.add(field, raw, 'each cluster is an object { kind, crn } or { kind, lookup }');
      return;
    }
    if (raw.kind !== ClusterKind.IKS && raw.kind !== ClusterKind.ROKS) {
      problems.add(`${field}.kind`, raw.kind, 'the cluster kind must be ClusterKind.IKS ("IKS") or ClusterKind.ROKS ("ROKS")');
    }
    let clusterId: string | undefined;
    if ((raw.crn === undefined) === (raw.lookup === undefined)) {
      problems.add(field, { crn: raw.crn, lookup: raw.lookup }, 'give exactly one of crn and lookup; use crn when you know it, lookup to let Terraform find the cluster by name or ID');
    } else if (raw.crn !== undefined) {
      const parsed = typeof raw.crn === 'string' ? parseCrn(raw.crn) : 'a CRN is a string';
      if (typeof parsed === 'string') {
        problems.add(`${field}.crn`, raw.crn, `${parsed}; copy it from \`ibmcloud ks cluster get --cluster <name> --output json\` (field "crn")`);
      } else if (parsed.serviceName !== CLUSTER_SERVICE_NAME) {
        problems.add(`${field}.crn`, raw.crn, `a cluster CRN has service name "${CLUSTER_SERVICE_NAME}", this one has "${parsed.serviceName}"; use the cluster's CRN, not another resource's`);
      } else if (literalProblem(raw.crn as string)) {
        problems.add(`${field}.crn`, raw.crn, literalProblem(raw.crn as string)!);
      } else if (!parsed.serviceInstance) {
        problems.add(`${field}.crn`, raw.crn, 'a cluster CRN names the cluster ID in its 8th segment, this one is empty; copy the full CRN of the cluster');
      } else {
        clusterId = parsed.serviceInstance;
      }
    } else {
      checkLookup(problems, `${field}.lookup`, raw.lookup as unknown);
    }
    if (raw.key !== undefined) {
      if (typeof raw.key !== 'string' || !KEY.test(raw.key)) {
        problems.add(`${field}.key`, raw.key, 'a cluster key is letters, digits, "-" and "_", starting with a letter or digit; it becomes part of Terraform logical IDs');
      }
    } else if (problems.count === before && raw.lookup && !KEY.test(raw.lookup.nameOrId)) {
      problems.add(`${field}.key`, undefined, `the key defaults to lookup.nameOrId ${JSON.stringify(raw.lookup.nameOrId)}, which is not usable in Terraform logical IDs; set key to letters, digits, "-" and "_"`);
    }
    const key = raw.key ?? clusterId ?? raw.lookup?.nameOrId;
    if (problems.count > before || key === undefined) return;

    const dupKey = seenKeys.get(key);
    if (dupKey !== undefined) {
      problems.add(field, raw.crn ?? raw.lookup, `it duplicates clusters[${dupKey}] (same key "${key}"); a service account is bound to each cluster once, so remove the duplicate binding`);
      return;
    }
    if (raw.crn !== undefined) {
      const dupCrn = seenCrns.get(raw.crn);
      if (dupCrn !== undefined) {
        problems.add(`${field}.crn`, raw.crn, `it duplicates clusters[${dupCrn}].crn; a service account is bound to each cluster once, so remove the duplicate binding`);
        return;
      }
      seenCrns.set(raw.crn, i);
    }
    seenKeys.set(key, i);
    clusters.push(Object.freeze({
      kind: raw.kind,
      crType: CR_TYPE[raw.kind],
      key,
      crn: raw.crn,
      clusterId,
      lookup: raw.lookup ? Object.freeze({
        nameOrId: raw.lookup.nameOrId,
        resourceGroupId: raw.lookup.resourceGroupId,
        infrastructure: raw.lookup.infrastructure ?? 'vpc',
      }) : undefined,
    }));
  });
  return clusters;
}

const LOOKUP_KEYS = ['nameOrId', 'resourceGroupId', 'infrastructure'];

function checkLookup(problems: ProblemCollector, field: string, lookup: unknown): void {
  if (lookup === null || typeof lookup !== 'object' || Array.isArray(lookup)) {
    problems.add(field, lookup, 'a cluster lookup is an object { nameOrId, resourceGroupId?, infrastructure? }');
    return;
  }
  const l = lookup as Record<string, unknown>;
  for (const key of Object.keys(l)) {
    if (!LOOKUP_KEYS.includes(key)) problems.add(`${field}.${key}`, l[key], `unknown key; a cluster lookup has ${LOOKUP_KEYS.join(', ')}`);
  }
  if (typeof l.nameOrId !== 'string' || l.nameOrId.trim() === '') {
    problems.add(`${field}.nameOrId`, l.nameOrId, 'a cluster lookup needs the cluster\'s name or ID; set lookup.nameOrId');
  } else if (literalProblem(l.nameOrId)) {
    problems.add(`${field}.nameOrId`, l.nameOrId, literalProblem(l.nameOrId)!);
  }
  if (l.resourceGroupId !== undefined) {
    if (typeof l.resourceGroupId !== 'string' || l.resourceGroupId.trim() === '') {
      problems.add(`${field}.resourceGroupId`, l.resourceGroupId, 'resourceGroupId is the resource group\'s ID, a non-empty string; leave it out for the default group');
    } else if (literalProblem(l.resourceGroupId)) {
      problems.add(`${field}.resourceGroupId`, l.resourceGroupId, literalProblem(l.resourceGroupId)!);
    }
  }
  if (l.infrastructure !== undefined && l.infrastructure !== 'vpc' && l.infrastructure !== 'classic') {
    problems.add(`${field}.infrastructure`, l.infrastructure, 'infrastructure is "vpc" (ibm_container_vpc_cluster) or "classic" (ibm_container_cluster); `ibmcloud ks cluster get` shows it as Provider');
  }
}
