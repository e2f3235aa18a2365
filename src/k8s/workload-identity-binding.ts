import { ApiObject } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import { EnvVar, ServiceAccountRef, WorkloadIdentity } from '../index';
import { SynthRenderCache } from '../rules/render-cache';
import { kubernetesAcknowledgementAnnotations, kubernetesRuleErrors, kubernetesRulesLeftToCaller } from '../rules/synth';
import {
  apiObjectOf, apiObjectsUnder, describeObject, matches, ownerOf, runsPods, selectorProblems, WorkloadSelector,
} from './api-objects';
import { applyIdentity, findConflicts, IdentityWiring, podViewOfManifest, sortKeys } from './pod-spec';

export type { WorkloadSelector } from './api-objects';

/** How a workload takes on an identity; what a parent construct passes on to `bind`. */
export interface WorkloadIdentityBindingOptions {
  /**
   * IBM SDK service names to configure in the pod's environment.
   * @default - the identity's `sdkServices`
   */
  readonly sdkServices?: readonly string[];
  /**
   * Fill in what Pod Security "restricted" requires where the workload left it unset
   * (`seccompProfile: RuntimeDefault` and `runAsNonRoot: true` on the pod,
   * `capabilities.drop: [ALL]` and `allowPrivilegeEscalation: false` in every container).
   * @default true
   */
  readonly hardenPodSecurity?: boolean;
  /**
   * Which of the identity's trusted service accounts the pods run as: its `serviceAccount`
   * or one of its `additionalServiceAccounts` (name defaults to the identity's name).
   * @default - the identity's `serviceAccount`
   */
  readonly serviceAccount?: ServiceAccountRef;
  /**
   * Mount the projected token only: the pods keep their own service account and get no IBM
   * environment, and IAM will not accept their token unless the profile trusts that account.
   * For pods that must see the token file without exchanging it, such as External Secrets
   * Operator's webhook, which checks that a store's `tokenLocation` exists.
   * @default false
   */
  readonly tokenOnly?: boolean;
}

export interface WorkloadIdentityBindingProps extends WorkloadIdentityBindingOptions {
  /** The identity the workload's pods take on. */
  readonly identity: WorkloadIdentity;
}

/** What `bindAll` binds and how. */
export interface WorkloadIdentityBindAllProps extends WorkloadIdentityBindingProps {
  /**
   * Which objects to bind, by kind, name, namespace or labels.
   * @default - every object with a pod template under the scope
   */
  readonly select?: WorkloadSelector;
}

/**
 * Anything that stands for one Kubernetes object with a pod template: a workload of any
 * cdk8s-plus line (27 to 33), an L1 object (`KubeDeployment`, ...), or one `ApiObject` of an
 * `Include` or `Helm` chart.
 */
export type IdentityWorkload = IConstruct;

const BINDING_ID = 'WorkloadIdentityBinding';

/**
 * Gives a workload's pods an identity: its service account, the projected token volume
 * (audience `iam`), a read-only mount in every container, init container and native sidecar,
 * and the environment IBM's SDKs and CLI read.
 *
 * Works on any `ApiObject` with a pod template (Pod, Deployment, StatefulSet, DaemonSet,
 * ReplicaSet, Job, CronJob, OpenShift DeploymentConfig), whichever construct made it. No
 * cdk8s-plus line can express a projected volume, so the binding completes the object's
 * manifest after it is rendered, JSON patches and an L1's own rendering included. Everything
 * the object already has is kept; what agrees with the identity (the same service account, the
 * token already mounted where it goes) is left as it is. Contradictions (another service
 * account, something else at the token's path, a different value for a variable) fail
 * `app.synth()` in validation, before any file is written, and so do the rules' errors.
 */
export class WorkloadIdentityBinding extends Construct {
  /** Binds `identity` to `workload`; a workload takes on one identity. */
  public static bind(workload: IdentityWorkload, props: WorkloadIdentityBindingProps): WorkloadIdentityBinding {
    const apiObject = apiObjectOf(workload);
    if (apiObject === undefined) {
      const held = apiObjectsUnder(workload).filter(runsPods);
      const hint = held.length > 0
        ? `it holds ${held.length} object(s) with a pod template (${held.slice(0, 5).map(describeObject).join(', ')}); bind them with WorkloadIdentityBinding.bindAll(scope, { identity, select: { kind, name } })`
        : 'pass a workload (cdk8s-plus, an L1 object such as KubeDeployment, or an ApiObject of an Include)';
      throw new Error(`WorkloadIdentityBinding on "${workload.node.path}": it is not a Kubernetes object; ${hint}`);
    }
    if (!runsPods(apiObject)) {
      throw new Error(`WorkloadIdentityBinding on "${workload.node.path}": a ${apiObject.apiVersion} ${apiObject.kind} has no pod template to give an identity to; bind a Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet, Job, CronJob or DeploymentConfig`);
    }
    return new WorkloadIdentityBinding(ownerOf(apiObject), BINDING_ID, apiObject, props);
  }

  /**
   * Binds `identity` to every object with a pod template under `scope` that `select` matches:
   * the objects of an `Include` or a `Helm` chart, or any construct tree (a chart). Matching
   * nothing is an error, listing what there was to match.
   */
  public static bindAll(scope: IConstruct, props: WorkloadIdentityBindAllProps): WorkloadIdentityBinding[] {
    const { select, ...bindProps } = props ?? ({} as WorkloadIdentityBindAllProps);
    if (!(bindProps.identity instanceof WorkloadIdentity)) {
      throw new Error(`WorkloadIdentityBinding.bindAll on "${scope.node.path}": props.identity must be a WorkloadIdentity`);
    }
    const identityName = bindProps.identity.name;
    const problems = selectorProblems(select);
    if (problems.length > 0) throw new Error(`WorkloadIdentity "${identityName}": bindAll on "${scope.node.path}": ${problems.join('; ')}`);
    const candidates = apiObjectsUnder(scope).filter(runsPods);
    const chosen = candidates.filter((o) => matches(o, select));
    if (chosen.length === 0) {
      const seen = candidates.length === 0 ? 'it holds no object with a pod template'
        : `it holds ${candidates.slice(0, 10).map(describeObject).join(', ')}${candidates.length > 10 ? `, and ${candidates.length - 10} more` : ''}`;
      throw new Error(`WorkloadIdentity "${identityName}": bindAll on "${scope.node.path}" matched nothing with select ${JSON.stringify(select ?? {})}; ${seen}. Fix the selector: binding nothing would leave the pods without their identity`);
    }
    return chosen.map((o) => WorkloadIdentityBinding.bind(o, bindProps));
  }

  /** The binding of a workload (or of its `ApiObject`), if it has one. */
  public static of(workload: IdentityWorkload): WorkloadIdentityBinding | undefined {
    const apiObject = apiObjectOf(workload);
    const places = [workload, ...(apiObject ? [apiObject, ownerOf(apiObject)] : [])];
    for (const place of places) {
      const child = place.node.tryFindChild(BINDING_ID);
      if (child instanceof WorkloadIdentityBinding) return child;
    }
    return undefined;
  }

  public readonly identity: WorkloadIdentity;
  /** The trusted service account the pods run as; undefined when the binding mounts the token only. */
  public readonly serviceAccount?: Required<ServiceAccountRef>;
  /** The variables set in every container, in order (none when the binding mounts the token only). */
  public readonly environment: readonly EnvVar[];
  /** The Kubernetes object whose pods take on the identity. */
  public readonly apiObject: ApiObject;

  private constructor(owner: IConstruct, id: string, apiObject: ApiObject, props: WorkloadIdentityBindingProps) {
    if (!(props?.identity instanceof WorkloadIdentity)) {
      throw new Error(`WorkloadIdentityBinding on "${owner.node.path}": props.identity must be a WorkloadIdentity`);
    }
    const existing = WorkloadIdentityBinding.of(owner);
    if (existing) {
      throw new Error(`WorkloadIdentity "${props.identity.name}": workload "${owner.node.path}" already has identity "${existing.identity.name}"; a pod runs as one service account, so bind one identity per workload`);
    }
    super(owner, id);
    this.identity = props.identity;
    this.apiObject = apiObject;
    const tokenOnly = props.tokenOnly ?? false;
    this.serviceAccount = tokenOnly ? undefined : trustedServiceAccount(props.identity, props.serviceAccount);
    this.environment = Object.freeze(tokenOnly ? [] : props.identity.environment(props.sdkServices ?? props.identity.sdkServices));
    const wiring: IdentityWiring = { env: this.environment, serviceAccount: this.serviceAccount };
    const harden = props.hardenPodSecurity ?? true;

    for (const [key, reason] of Object.entries(kubernetesAcknowledgementAnnotations(this.identity))) {
      apiObject.metadata.addAnnotation(key, reason);
    }

    // The wrapper sees the final manifest: after cdk8s-plus renders lazily, after JSON patches
    // (which cannot append to arrays that may not exist yet) and after an L1's own toJson.
    const render = apiObject.toJson.bind(apiObject);
    const plusKey = cdk8sPlusKey(owner);
    // Validation renders the manifest to run the rules on it; the write reuses that render.
    const renders = new SynthRenderCache({
      raw: render,
      complete: (manifest) => {
        applyIdentity(manifest, this.identity, { ...wiring, harden });
        const { apiVersion, kind, metadata, ...rest } = manifest;
        return { apiVersion, kind, metadata: sortKeys(metadata), ...sortKeys(rest) };
      },
      ...(plusKey ? { key: plusKey } : {}),
    });
    apiObject.toJson = () => renders.manifest();

    this.node.addValidation({
      validate: () => renders.verdict(() => renders.check(
        (raw) => findConflicts(podViewOfManifest(raw), this.identity, wiring),
        (m) => (kubernetesRulesLeftToCaller(this) ? [] : kubernetesRuleErrors(m, owner.node.path)),
      ).map((problem) => `WorkloadIdentity "${this.identity.name}": ${problem}`)),
    });
  }
}

/**
 * What can change on a cdk8s-plus workload after construction, read through the API every
 * cdk8s-plus line (27 to 33) shares, to tell whether a render is current without rendering;
 * undefined for any other construct.
 */
function cdk8sPlusKey(owner: IConstruct): (() => string) | undefined {
  const w = owner as any;
  const shaped = Array.isArray(w.containers) && Array.isArray(w.initContainers) && Array.isArray(w.volumes) && typeof w.metadata === 'object';
  if (!shaped || ApiObject.isApiObject(owner)) return undefined;
  return () => {
    const containers = [...w.containers, ...w.initContainers];
    // cdk8s-plus adds a volume that only a container mount names when it renders the pod.
    const volumes = new Set([...w.volumes, ...containers.flatMap((c: any) => (c.mounts ?? []).map((m: any) => m.volume))].map((v: any) => v?.name));
    let key = `${w.metadata?.namespace}|${w.serviceAccount?.name}|${[...volumes].join(',')}`;
    for (const c of containers) {
      key += `|${c.name}:${(c.mounts ?? []).map((m: any) => m.path).join(',')}:${Object.keys(c.env?.variables ?? {}).join(',')}`;
    }
    return key;
  };
}

/**
 * The chosen service account, which the profile must trust: otherwise IAM would refuse its token.
 * @internal
 */
export function trustedServiceAccount(identity: WorkloadIdentity, wanted?: ServiceAccountRef): Required<ServiceAccountRef> {
  if (wanted === undefined) return identity.serviceAccount;
  const name = wanted.name ?? identity.name;
  const found = identity.serviceAccounts.find((sa) => sa.namespace === wanted.namespace && sa.name === name);
  if (!found) {
    const trusted = identity.serviceAccounts.map((sa) => `${sa.namespace}/${sa.name}`).join(', ');
    throw new Error(`WorkloadIdentity "${identity.name}": serviceAccount is "${wanted.namespace}/${name}", which the profile does not trust (it trusts ${trusted}); add it to additionalServiceAccounts or pick one of those`);
  }
  return found;
}
