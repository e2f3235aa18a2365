// What the rules can know of a Terraform value. A literal is known; an expression (`${...}`)
// is known only when it is a reference the rules can resolve in the same configuration: a
// resource or data source declared there names one object, and a cluster data source names
// one cluster. Anything else (`"Admin${""}istrator"`, `"${true}"`, `${var.x}`) could be any
// value at plan time, so rules treat it as unknown rather than as safe.
import { isExpression } from './facts';
import type { AddressSet } from './types';

/** Cluster data sources (and resources) the library and hand-written modules look clusters up with. */
export const CLUSTER_TYPES: readonly string[] = ['ibm_container_vpc_cluster', 'ibm_container_cluster'];

const REFERENCE = /^(data\.)?([a-z][a-z0-9_]*)\.([A-Za-z_][\w-]*)\.([a-z_]+)$/;

export interface Reference {
  /** `type.name` or `data.type.name`. */
  readonly address: string;
  readonly type: string;
  readonly dataSource: boolean;
  readonly attribute: string;
}

/** The reference `<type>.<name>.<attribute>` (or `data.<...>`) in `text`, if that is all it is. */
export function parseReference(text: string): Reference | undefined {
  const m = REFERENCE.exec(text.trim());
  if (!m) return undefined;
  return { address: `${m[1] ?? ''}${m[2]}.${m[3]}`, type: m[2], dataSource: m[1] !== undefined, attribute: m[4] };
}

/** The expression inside `${...}` when `value` is exactly one interpolation. */
function interpolation(value: string): string | undefined {
  const m = /^\$\{([\s\S]*)\}$/.exec(value);
  return m && !m[1].includes('${') ? m[1] : undefined;
}

/**
 * Whether `value` names one object declared in the configuration: `${<type>.<name>.<attr>}`
 * with an `id`, `guid` or `crn` attribute, the object being in `declared`.
 */
export function namesDeclaredObject(value: unknown, declared: AddressSet): boolean {
  if (typeof value !== 'string') return false;
  const inner = interpolation(value);
  const ref = inner === undefined ? undefined : parseReference(inner);
  return ref !== undefined && ['id', 'guid', 'crn'].includes(ref.attribute) && declared.has(ref.address);
}

/** A reference to a cluster data source or resource declared in the configuration. */
function clusterReference(text: string, declared: AddressSet): boolean {
  const ref = parseReference(text);
  return ref !== undefined && CLUSTER_TYPES.includes(ref.type) && ['id', 'crn'].includes(ref.attribute) && declared.has(ref.address);
}

/**
 * The clusters a claim condition's value names, when each is a literal or a declared cluster
 * lookup: the library writes `${jsonencode([<literal>, data.ibm_container_vpc_cluster.<n>.id])}`
 * for looked-up clusters. Undefined when the value is anything else.
 */
export function clusterValues(value: unknown, declared: AddressSet): string[] | undefined {
  if (typeof value !== 'string' || !isExpression(value)) return undefined;
  const inner = interpolation(value)?.trim();
  if (inner === undefined) return undefined;
  if (clusterReference(inner, declared)) return [inner];
  const encoded = /^jsonencode\(([\s\S]*)\)$/.exec(inner)?.[1].trim();
  if (encoded === undefined) return undefined;
  if (clusterReference(encoded, declared)) return [encoded];
  if (!encoded.startsWith('[') || !encoded.endsWith(']')) return undefined;
  const items: string[] = [];
  const item = /\s*("(?:[^"\\$%]|\\.)*"|[A-Za-z_][\w.-]*)\s*(,|$)/y;
  const body = encoded.slice(1, -1);
  while (item.lastIndex < body.length) {
    const start = item.lastIndex;
    const m = item.exec(body);
    if (!m || item.lastIndex === start) return undefined;
    if (m[1].startsWith('"')) {
      const literal = JSON.parse(m[1]) as string;
      if (literal.trim() === '') return undefined;
      items.push(literal);
    } else if (clusterReference(m[1], declared)) {
      items.push(m[1]);
    } else {
      return undefined;
    }
  }
  return items.length > 0 ? items : undefined;
}

/** At most `max` characters of a value, quoted, for a message. */
export function shortValue(value: unknown, max = 60): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value) ?? String(value);
  return JSON.stringify(text.length > max ? `${text.slice(0, max)}...` : text);
}
