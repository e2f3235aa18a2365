// Validation of synthesized manifests against the upstream Kubernetes OpenAPI schema, through
// kubernetes-models 4.5 (5.x needs Node 22). The schema checks types, required fields, enums
// and formats; like the OpenAPI schema it allows unknown fields, which the API server's strict
// field validation would reject.
import { DaemonSet } from 'kubernetes-models/apps/v1/DaemonSet';
import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import { ReplicaSet } from 'kubernetes-models/apps/v1/ReplicaSet';
import { StatefulSet } from 'kubernetes-models/apps/v1/StatefulSet';
import { CronJob } from 'kubernetes-models/batch/v1/CronJob';
import { Job } from 'kubernetes-models/batch/v1/Job';
import { ConfigMap } from 'kubernetes-models/v1/ConfigMap';
import { Pod } from 'kubernetes-models/v1/Pod';
import { Secret } from 'kubernetes-models/v1/Secret';
import { Service } from 'kubernetes-models/v1/Service';
import { ServiceAccount } from 'kubernetes-models/v1/ServiceAccount';

type Model = new (data: any) => { validate(): void };

const MODELS: Readonly<Record<string, Model>> = {
  'v1/ConfigMap': ConfigMap,
  'v1/Pod': Pod,
  'v1/Secret': Secret,
  'v1/Service': Service,
  'v1/ServiceAccount': ServiceAccount,
  'apps/v1/DaemonSet': DaemonSet,
  'apps/v1/Deployment': Deployment,
  'apps/v1/ReplicaSet': ReplicaSet,
  'apps/v1/StatefulSet': StatefulSet,
  'batch/v1/CronJob': CronJob,
  'batch/v1/Job': Job,
};

/**
 * Why each manifest does not validate, as "<apiVersion>/<kind> <name>: <error>"; empty when all
 * do. A kind without a model here is reported too, so a new kind cannot pass unchecked.
 */
export function kubernetesSchemaErrors(manifests: readonly any[]): string[] {
  const errors: string[] = [];
  for (const m of manifests) {
    const id = `${m?.apiVersion}/${m?.kind}`;
    const model = MODELS[id];
    if (!model) {
      errors.push(`${id} ${m?.metadata?.name}: no kubernetes-models class registered in test/support/kubernetes-schema.ts`);
      continue;
    }
    try {
      // The model copies the data; validate() checks it against the OpenAPI schema of its kind.
      new model(JSON.parse(JSON.stringify(m))).validate();
    } catch (e) {
      errors.push(`${id} ${m?.metadata?.name}: ${(e as Error).message}`);
    }
  }
  return errors;
}
