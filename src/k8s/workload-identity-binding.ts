import { ApiObject } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { EnvVar, ServiceAccountRef, WorkloadIdentity } from '../index';
import { SynthRenderCache } from '../rules/render-cache';
import { kubernetesAcknowledgementAnnotations, kubernetesRuleErrors } from '../rules/synth';
import { applyIdentity, ContainerView, findConflicts, PodView, sortKeys } from './pod-spec';

/** How a workload takes on an identity; what a parent construct passes on to `bind`. */
export interface WorkloadIdentityBindingOptions {
  /**
   * IBM SDK service names to configure in the pod's environment.
   * @default - the identity's `sdkServices`
   */
  readonly sdkServices?: readonly string[];
  /**
   * Fill in what Pod Security "restricted" requires and cdk8s-plus-27 cannot express
   * (`seccompProfile: RuntimeDefault`, `capabilities.drop: [ALL]`) where the workload left it unset.
   * @default true
   */
  readonly hardenPodSecurity?: boolean;
  /**
   * Which of the identity's trusted service accounts the pods run as: its `serviceAccount`
   * or one of its `additionalServiceAccounts` (name defaults to the identity's name).
   * @default - the identity's `serviceAccount`
   */
  readonly serviceAccount?: ServiceAccountRef;
}

export interface WorkloadIdentityBindingProps extends WorkloadIdentityBindingOptions {
  /** The identity the workload's pods take on. */
  readonly identity: WorkloadIdentity;
}

/** The cdk8s-plus workloads whose pods can take on an identity. */
export type IdentityWorkload = kplus.Deployment | kplus.StatefulSet | kplus.DaemonSet | kplus.Job | kplus.CronJob | kplus.Pod;

const BINDING_ID = 'WorkloadIdentityBinding';

/**
 * Gives a cdk8s-plus workload's pods an identity: its service account, the projected token
 * volume (audience `iam`), a read-only mount in every container and init container, and the
 * environment IBM's SDKs and CLI read.
 *
 * cdk8s-plus-27 cannot express a projected volume, so the binding completes the workload's
 * manifest after cdk8s-plus has rendered it. Everything added through cdk8s-plus, before or
 * after the binding, is kept. Conflicts (another service account, a volume or mount in the
 * token's place, a contradicting variable) fail `app.synth()` in validation, before any file
 * is written.
 */
export class WorkloadIdentityBinding extends Construct {
  /** Binds `identity` to `workload`; a workload takes on one identity. */
  public static bind(workload: IdentityWorkload, props: WorkloadIdentityBindingProps): WorkloadIdentityBinding {
    return new WorkloadIdentityBinding(workload, BINDING_ID, props);
  }

  /** The binding of a workload, if it has one. */
  public static of(workload: IdentityWorkload): WorkloadIdentityBinding | undefined {
    const child = workload.node.tryFindChild(BINDING_ID);
    return child instanceof WorkloadIdentityBinding ? child : undefined;
  }

  public readonly identity: WorkloadIdentity;
  /** The trusted service account the pods run as. */
  public readonly serviceAccount: Required<ServiceAccountRef>;
  /** The variables set in every container, in order. */
  public readonly environment: readonly EnvVar[];

  private constructor(private readonly workload: IdentityWorkload, id: string, props: WorkloadIdentityBindingProps) {
    if (!(props?.identity instanceof WorkloadIdentity)) {
      throw new Error(`WorkloadIdentityBinding on "${workload.node.path}": props.identity must be a WorkloadIdentity`);
    }
    const existing = WorkloadIdentityBinding.of(workload);
    if (existing) {
      throw new Error(`WorkloadIdentity "${props.identity.name}": workload "${workload.node.path}" already has identity "${existing.identity.name}"; a pod runs as one service account, so bind one identity per workload`);
    }
    super(workload, id);
    this.identity = props.identity;
    this.serviceAccount = trustedServiceAccount(props.identity, props.serviceAccount);
    this.environment = Object.freeze(props.identity.environment(props.sdkServices ?? props.identity.sdkServices));
    const harden = props.hardenPodSecurity ?? true;

    for (const [key, reason] of Object.entries(kubernetesAcknowledgementAnnotations(this.identity))) {
      workload.metadata.addAnnotation(key, reason);
    }

    const apiObject = ApiObject.of(workload);
    const render = apiObject.toJson.bind(apiObject);
    // The only hook that sees the manifest after cdk8s-plus renders it lazily; JSON patches
    // cannot append to arrays that may not exist yet.
    // Validation renders the manifest to run the rules on it; the write reuses that render.
    const renders = new SynthRenderCache(() => {
      const manifest = render();
      applyIdentity(manifest, this.identity, { env: this.environment, harden, serviceAccount: this.serviceAccount });
      const { apiVersion, kind, metadata, ...rest } = manifest;
      return { apiVersion, kind, metadata: sortKeys(metadata), ...sortKeys(rest) };
    });
    apiObject.toJson = () => renders.manifest(() => this.renderKey(this.podView()));

    this.node.addValidation({
      validate: () => renders.verdict(() => {
        const view = this.podView();
        const problems = findConflicts(view, this.identity, this.environment, this.serviceAccount);
        if (problems.length === 0) problems.push(...renders.check(this.renderKey(view), (m) => kubernetesRuleErrors(m, workload.node.path)));
        return problems.map((problem) => `WorkloadIdentity "${this.identity.name}": ${problem}`);
      }),
    });
  }

  /** What can change on the workload after construction, to tell whether a render is current. */
  private renderKey(view: PodView): string {
    let key = `${view.namespace}|${view.serviceAccountName}|${view.volumeNames.join(',')}`;
    for (const c of view.containers) key += `|${c.name}:${c.mountPaths.join(',')}:${[...c.env.keys()].join(',')}`;
    return key;
  }

  /** The workload as cdk8s-plus holds it, read through its public API. */
  private podView(): PodView {
    const w = this.workload;
    const containers = [...w.containers, ...w.initContainers].map((c): ContainerView => ({
      name: c.name,
      mountPaths: c.mounts.map((m) => m.path),
      env: new Map(Object.entries(c.env.variables).map(([name, v]) => [name, v.valueFrom ? undefined : v.value])),
    }));
    return {
      namespace: w.metadata.namespace,
      serviceAccountName: w.serviceAccount?.name,
      // cdk8s-plus adds a volume that only a container mount names when it renders the pod.
      volumeNames: [...new Set([...w.volumes, ...[...w.containers, ...w.initContainers].flatMap((c) => c.mounts.map((m) => m.volume))].map((v) => v.name))],
      containers,
    };
  }
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
