// Normalizes whatever was read (rendered manifests, cdk.tf.json stacks) into the few shapes the
// rules reason about. Input is untrusted: hand-written files may miss any field or hold the
// wrong type, so every read is defensive and nothing here throws.
import { podSpecOf } from './workload-kinds';
import { acknowledgementsOfManifest, acknowledgementsOfResource, carriedMetadataOf, TERRAFORM_COMMENT_KEY, TERRAFORM_METADATA_KEY } from './acknowledgements';
import { Acknowledgements, AddressSet, Documents, KubernetesDocument, TerraformDocument } from './types';

export interface Facts {
  /** Undefined when the Kubernetes side was not read. */
  readonly kubernetes?: KubernetesFacts;
  /** Undefined when the Terraform side was not read. */
  readonly terraform?: TerraformFacts;
}

export interface KubernetesFacts {
  readonly documents: readonly KubernetesDocument[];
  readonly workloads: readonly Workload[];
  readonly serviceAccounts: readonly { readonly namespace?: string; readonly name: string }[];
}

/** An object with a pod template. */
export interface Workload {
  readonly kind: string;
  readonly name: string;
  readonly namespace?: string;
  /** `Deployment payments/payments-api`. */
  readonly object: string;
  readonly file: string;
  readonly manifest: any;
  readonly podSpec: any;
  readonly volumes: readonly any[];
  /** Containers, then init containers. */
  readonly containers: readonly Container[];
  readonly acknowledgements: Acknowledgements;
}

export interface Container {
  readonly name: string;
  readonly init: boolean;
  /** Literal values; `undefined` for variables set from a source (`valueFrom`). */
  readonly env: ReadonlyMap<string, string | undefined>;
  readonly mounts: readonly { readonly name: string; readonly mountPath: string; readonly subPath?: string; readonly subPathExpr?: string }[];
  /** `command` then `args`, as strings. */
  readonly argv: readonly string[];
  /** `workingDir`, where relative paths of the command start. */
  readonly workingDir?: string;
}

export interface TerraformFacts {
  readonly documents: readonly TerraformDocument[];
  readonly resources: readonly TerraformResource[];
}

export interface TerraformResource {
  readonly type: string;
  readonly logicalId: string;
  /** `<type>.<logical id>`, as Terraform addresses it. */
  readonly object: string;
  readonly file: string;
  readonly body: any;
  readonly acknowledgements: Acknowledgements;
  /**
   * Every resource (`type.name`) and data source (`data.type.name`) of the configuration the
   * resource is in: the objects its expressions can name.
   */
  readonly declared: AddressSet;
}

export function extractFacts(documents: Documents): Facts {
  return {
    kubernetes: documents.kubernetes && kubernetesFacts(documents.kubernetes),
    terraform: documents.terraform && terraformFacts(documents.terraform),
  };
}

/** `Kind namespace/name`, or `Kind name` when the manifest names no namespace. */
export function objectName(kind: string, name: string, namespace?: string): string {
  return `${kind} ${namespace ? `${namespace}/` : ''}${name}`;
}

function kubernetesFacts(documents: readonly KubernetesDocument[]): KubernetesFacts {
  const workloads: Workload[] = [];
  const serviceAccounts: { namespace?: string; name: string }[] = [];
  for (const doc of documents) {
    const m = doc.manifest;
    const kind = str(m?.kind);
    const name = str(m?.metadata?.name) ?? '(unnamed)';
    const namespace = str(m?.metadata?.namespace);
    if (kind === 'ServiceAccount') {
      serviceAccounts.push({ namespace, name });
      continue;
    }
    const spec = podSpecOf(m);
    if (!kind || !isObject(spec)) continue;
    workloads.push({
      kind, name, namespace,
      object: objectName(kind, name, namespace),
      file: doc.file,
      manifest: m,
      podSpec: spec,
      volumes: list(spec.volumes).filter(isObject),
      containers: [
        ...list(spec.containers).map((c) => container(c, false)),
        ...list(spec.initContainers).map((c) => container(c, true)),
      ],
      acknowledgements: acknowledgementsOfManifest(m),
    });
  }
  return { documents, workloads, serviceAccounts };
}

function container(raw: any, init: boolean): Container {
  const env = new Map<string, string | undefined>();
  for (const e of list(raw?.env)) {
    if (typeof e?.name !== 'string') continue;
    env.set(e.name, e.valueFrom !== undefined ? undefined : e.value === undefined || e.value === null ? '' : scalarText(e.value));
  }
  return {
    name: str(raw?.name) ?? '(unnamed)',
    init,
    env,
    mounts: list(raw?.volumeMounts)
      .filter((v) => typeof v?.name === 'string' && typeof v?.mountPath === 'string')
      .map((v) => ({ name: v.name, mountPath: v.mountPath, subPath: str(v.subPath), subPathExpr: str(v.subPathExpr) })),
    argv: [...list(raw?.command), ...list(raw?.args)].filter((a) => typeof a === 'string'),
    workingDir: str(raw?.workingDir),
  };
}

function terraformFacts(documents: readonly TerraformDocument[]): TerraformFacts {
  const resources: TerraformResource[] = [];
  for (const doc of documents) {
    const inConfig = new Set<string>();
    const declared: AddressSet = { has: (a) => inConfig.has(a) || (doc.declared?.has(a) ?? false) };
    for (const [prefix, blocks] of [['', doc.config?.resource], ['data.', doc.config?.data]] as const) {
      for (const byType of asBlocks(blocks)) {
        for (const [type, byName] of Object.entries(byType)) for (const named of asBlocks(byName)) for (const name of Object.keys(named)) inConfig.add(`${prefix}${type}.${name}`);
      }
    }
    // Metadata that `cdktf synth --hcl` could not keep in `//` travels in a local value.
    const carried = carriedMetadataOf(doc.config?.locals);
    // Terraform's JSON syntax allows a block type to be an object or a list of objects.
    for (const byType of asBlocks(doc.config?.resource)) {
      for (const [type, byName] of Object.entries(byType)) {
        for (const named of asBlocks(byName)) {
          for (const [logicalId, rawBody] of Object.entries(named)) {
            const object = `${type}.${logicalId}`;
            for (const found of asBlocks(rawBody)) {
              const body = withCarriedMetadata(found, carried.get(object));
              resources.push({
                type, logicalId, object, file: doc.sources?.get(object) ?? doc.file, body,
                acknowledgements: acknowledgementsOfResource(body), declared,
              });
            }
          }
        }
      }
    }
  }
  return { documents, resources };
}

/** The body with carried metadata merged into its `//` property (the `//` values win). */
function withCarriedMetadata(body: Record<string, any>, carried: Record<string, unknown> | undefined): Record<string, any> {
  if (!carried) return body;
  const comment = isObject(body[TERRAFORM_COMMENT_KEY]) ? body[TERRAFORM_COMMENT_KEY] : {};
  const own = isObject(comment[TERRAFORM_METADATA_KEY]) ? comment[TERRAFORM_METADATA_KEY] : {};
  const acknowledge = { ...(isObject(carried.acknowledge) ? carried.acknowledge : {}), ...(isObject(own.acknowledge) ? own.acknowledge : {}) };
  return { ...body, [TERRAFORM_COMMENT_KEY]: { ...comment, [TERRAFORM_METADATA_KEY]: { ...carried, ...own, acknowledge } } };
}

/** A Terraform block or attribute that may be one object or a list of them. */
export function asBlocks(value: unknown): Record<string, any>[] {
  if (Array.isArray(value)) return value.filter(isObject);
  return isObject(value) ? [value] : [];
}

/** Whether a Terraform value is an expression (`${...}`) whose value is unknown until plan. */
export function isExpression(value: unknown): boolean {
  return typeof value === 'string' && value.includes('${');
}

export function isObject(value: unknown): value is Record<string, any> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** A scalar as Kubernetes would read it; an object (a wrong shape) as its JSON, never a throw. */
function scalarText(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value) ?? '';
}

function list(value: unknown): any[] {
  return Array.isArray(value) ? value : [];
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}
