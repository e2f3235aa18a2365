// Binding the identity into an included External Secrets Operator: the controller exchanges
// the token for IAM tokens; the webhook only opens the token file when it validates a store
// (ESO v2.9.0 `providers/v1/ibm/provider.go`, ValidateStore: `os.Open(containerRef.TokenLocation)`),
// so it gets the token mounted but keeps its own, untrusted, service account.
import { ApiObject, JsonPatch } from 'cdk8s';
import type { IConstruct } from 'constructs';
import { ClusterKind, ProblemCollector, WorkloadIdentity } from '../../index';
import { podSpecOf, POD_TEMPLATE_PATHS } from '../../rules/workload-kinds';
import { apiObjectsUnder, matches, runsPods } from '../api-objects';
import { WorkloadIdentityBinding, WorkloadSelector } from '../workload-identity-binding';

/** How to find ESO's pods in an included manifest or chart, and where they run. */
export interface ExternalSecretsOperatorBindProps {
  /** The identity ESO's controller runs as (see `externalSecretsIdentity`). */
  readonly identity: WorkloadIdentity;
  /**
   * ESO's controller: it runs as the identity's service account.
   * @default - the Deployment named "external-secrets"
   */
  readonly controller?: WorkloadSelector;
  /**
   * ESO's webhook: it gets the token file only.
   * @default - the Deployment named "external-secrets-webhook"
   */
  readonly webhook?: WorkloadSelector;
  /**
   * The kind of cluster ESO is installed on. On ROKS, the chart's fixed `runAsUser: 1000` is
   * refused by OpenShift's `restricted-v2` SCC (which assigns a UID of the namespace's range),
   * so the binding removes every `runAsUser` from the controller's and webhook's pods.
   * @default - the kind of the identity's clusters; required when they mix IKS and ROKS
   */
  readonly clusterKind?: ClusterKind;
}

/** The bindings made in ESO's pods. */
export interface ExternalSecretsOperatorBindings {
  readonly controller: readonly WorkloadIdentityBinding[];
  readonly webhook: readonly WorkloadIdentityBinding[];
}

/** Gives an included External Secrets Operator (its YAML, or a `Helm` chart) the identity. */
export class ExternalSecretsOperator {
  /**
   * Binds the identity to ESO's controller and mounts its token in ESO's webhook, in the
   * objects under `scope` (an `Include`, a `Helm` chart or a chart holding them). Fails when
   * either is not found.
   */
  public static bind(scope: IConstruct, props: ExternalSecretsOperatorBindProps): ExternalSecretsOperatorBindings {
    const identity = props?.identity;
    if (!(identity instanceof WorkloadIdentity)) {
      throw new Error(`ExternalSecretsOperator.bind on "${scope.node.path}": props.identity must be a WorkloadIdentity`);
    }
    const kinds = [...new Set(identity.clusters.map((c) => c.kind))];
    const problems = new ProblemCollector(identity.name);
    if (props.clusterKind === undefined && kinds.length > 1) {
      problems.add('ExternalSecretsOperator.clusterKind', kinds, 'the identity runs on IKS and ROKS clusters, whose Pod Security differs (ROKS refuses the chart\'s fixed runAsUser); set clusterKind for the cluster this manifest is applied to');
    }
    problems.throwIfAny();
    const onRoks = (props.clusterKind ?? kinds[0]) === ClusterKind.ROKS;

    const controllerSelect = props.controller ?? { kind: 'Deployment', name: 'external-secrets' };
    const webhookSelect = props.webhook ?? { kind: 'Deployment', name: 'external-secrets-webhook' };
    if (onRoks) {
      // Before binding: the patch applies to the object as included, under the binding's render.
      for (const o of apiObjectsUnder(scope).filter(runsPods)) {
        if (matches(o, controllerSelect) || matches(o, webhookSelect)) dropRunAsUser(o);
      }
    }
    const controller = WorkloadIdentityBinding.bindAll(scope, { identity, select: controllerSelect });
    const webhook = WorkloadIdentityBinding.bindAll(scope, { identity, tokenOnly: true, select: webhookSelect });
    return { controller, webhook };
  }
}

/**
 * Removes `runAsUser` from the pod and every container, by JSON patch on the object as it is
 * rendered now: an included object does not change after it is read.
 */
function dropRunAsUser(o: ApiObject): void {
  const manifest = o.toJson();
  const spec = podSpecOf(manifest);
  if (!spec) return;
  const base = `/${POD_TEMPLATE_PATHS[manifest.kind].join('/')}/spec`;
  if (spec.securityContext?.runAsUser !== undefined) o.addJsonPatch(JsonPatch.remove(`${base}/securityContext/runAsUser`));
  for (const list of ['containers', 'initContainers'] as const) {
    (spec[list] ?? []).forEach((c: any, i: number) => {
      if (c?.securityContext?.runAsUser !== undefined) o.addJsonPatch(JsonPatch.remove(`${base}/${list}/${i}/securityContext/runAsUser`));
    });
  }
}
