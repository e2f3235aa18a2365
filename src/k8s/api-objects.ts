// Finding the Kubernetes objects behind any construct, without knowing which library made it:
// cdk8s-plus of any line keeps its object as `node.defaultChild`, an L1 class is the object,
// `Include` and `Helm` hold theirs in `apiObjects`. All are recognized by cdk8s' registered
// symbol (`ApiObject.isApiObject`), never by `instanceof` one copy's class.
import { ApiObject } from 'cdk8s';
import type { IConstruct } from 'constructs';
import { hasPodTemplate, POD_TEMPLATE_PATHS } from '../rules/workload-kinds';

/** Which objects of an included file, a chart or a construct tree `bindAll` binds. */
export interface WorkloadSelector {
  /**
   * Kinds to bind, e.g. `Deployment` or `["Deployment", "StatefulSet"]` (in their own API groups).
   * @default - every kind with a pod template
   */
  readonly kind?: string | readonly string[];
  /**
   * `metadata.name` of the objects to bind.
   * @default - any name
   */
  readonly name?: string | readonly string[];
  /**
   * `metadata.namespace` of the objects to bind.
   * @default - any namespace
   */
  readonly namespace?: string;
  /**
   * Labels the objects carry (`metadata.labels`), all of them.
   * @default - no label required
   */
  readonly labels?: Readonly<Record<string, string>>;
}

/** The object a construct stands for: itself, or its default child, followed down. */
export function apiObjectOf(c: IConstruct): ApiObject | undefined {
  let node: IConstruct | undefined = c;
  for (let depth = 0; node !== undefined && depth < 10; depth++) {
    if (ApiObject.isApiObject(node)) return node;
    node = node.node.defaultChild;
  }
  return undefined;
}

/** The construct a binding of `o` hangs under: the cdk8s-plus workload wrapping it, or `o` itself. */
export function ownerOf(o: ApiObject): IConstruct {
  const parent = o.node.scope;
  return parent !== undefined && parent.node.defaultChild === o && !ApiObject.isApiObject(parent) ? parent : o;
}

/**
 * Every object in the tree under `scope`, in construct order: an `Include`'s or `Helm`'s objects
 * are its children; a chart's are anywhere below it (its own `apiObjects` lists children only).
 */
export function apiObjectsUnder(scope: IConstruct): ApiObject[] {
  return scope.node.findAll().filter((c): c is ApiObject => ApiObject.isApiObject(c));
}

export function runsPods(o: ApiObject): boolean {
  return hasPodTemplate({ apiVersion: o.apiVersion, kind: o.kind });
}

/** `Deployment external-secrets/external-secrets`. */
export function describeObject(o: ApiObject): string {
  const ns = o.metadata.namespace;
  return `${o.kind} ${ns ? `${ns}/` : ''}${o.name}`;
}

/** Problems with the selector itself (a kind that runs no pods, an empty list). */
export function selectorProblems(select: WorkloadSelector | undefined): string[] {
  if (select === undefined) return [];
  const problems: string[] = [];
  for (const kind of asList(select.kind)) {
    if (typeof kind !== 'string' || !Object.hasOwn(POD_TEMPLATE_PATHS, kind)) {
      problems.push(`select.kind is ${JSON.stringify(kind)}, which has no pod template; use one of ${Object.keys(POD_TEMPLATE_PATHS).join(', ')}`);
    }
  }
  for (const field of ['kind', 'name'] as const) {
    if (Array.isArray(select[field]) && (select[field] as readonly string[]).length === 0) {
      problems.push(`select.${field} is an empty list, which matches nothing; leave it out to match any ${field}`);
    }
  }
  return problems;
}

export function matches(o: ApiObject, select: WorkloadSelector | undefined): boolean {
  if (select === undefined) return true;
  const kinds = asList(select.kind);
  const names = asList(select.name);
  if (kinds.length > 0 && !kinds.includes(o.kind)) return false;
  if (names.length > 0 && !names.includes(o.name)) return false;
  if (select.namespace !== undefined && o.metadata.namespace !== select.namespace) return false;
  return Object.entries(select.labels ?? {}).every(([k, v]) => o.metadata.getLabel(k) === v);
}

function asList<T>(value: T | readonly T[] | undefined): readonly T[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value as T];
}
