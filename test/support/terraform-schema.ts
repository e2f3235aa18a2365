// A small offline `terraform validate` for our blocks: checks synthesized Terraform JSON
// (cdk.tf.json) against the vendored provider schema (provider/ibm-provider-schema.json, the
// format of `terraform providers schema -json`), so a drift between the constructs and the
// schema fails the tests. It checks every ibm_* resource and data block and the ibm provider
// block: unknown arguments, missing required ones, computed-only ones set, nested blocks
// (nesting mode, min_items, max_items) and, roughly, attribute types. Values with Terraform
// interpolations ("${...}") are taken as the right type: their value exists only at plan time.
// Not checked: provider-side validation (allowed values, conflicts), which needs the provider.
import * as fs from 'fs';
import * as path from 'path';

export interface SchemaBlock {
  attributes?: Record<string, SchemaAttribute>;
  block_types?: Record<string, SchemaBlockType>;
}
export interface SchemaAttribute {
  type: unknown;
  required?: boolean;
  optional?: boolean;
  computed?: boolean;
}
export interface SchemaBlockType {
  nesting_mode: 'single' | 'group' | 'list' | 'set' | 'map';
  block: SchemaBlock;
  min_items?: number;
  max_items?: number;
}
export interface ProviderSchema {
  provider: { block: SchemaBlock };
  resource_schemas: Record<string, { block: SchemaBlock }>;
  data_source_schemas: Record<string, { block: SchemaBlock }>;
}

export const SCHEMA_FILE = path.resolve(__dirname, '..', '..', 'provider', 'ibm-provider-schema.json');

let cached: ProviderSchema | undefined;

/** The IBM provider's schema from the vendored file. */
export function ibmProviderSchema(): ProviderSchema {
  if (!cached) {
    const file = JSON.parse(fs.readFileSync(SCHEMA_FILE, 'utf8'));
    cached = file.provider_schemas['registry.terraform.io/ibm-cloud/ibm'] as ProviderSchema;
  }
  return cached;
}

/** Terraform's meta-arguments, which belong to no provider schema. */
const META_ARGUMENTS = new Set(['count', 'for_each', 'depends_on', 'provider', 'lifecycle', 'provisioner', 'connection']);

/**
 * Every schema problem in a synthesized Terraform JSON document, as
 * "<address>: <problem>" (e.g. `resource.ibm_iam_trusted_profile_link.x.link: 2 blocks, at most 1 allowed`).
 */
export function terraformSchemaProblems(json: any, schema: ProviderSchema = ibmProviderSchema()): string[] {
  const problems: string[] = [];
  for (const [kind, schemas] of [['resource', schema.resource_schemas], ['data', schema.data_source_schemas]] as const) {
    for (const [type, blocks] of Object.entries<Record<string, any>>(json?.[kind] ?? {})) {
      if (!type.startsWith('ibm_')) continue;
      const s = schemas[type];
      for (const [name, body] of Object.entries(blocks)) {
        const address = `${kind}.${type}.${name}`;
        if (!s) problems.push(`${address}: ${kind} type ${type} is not in the vendored provider schema`);
        else checkBlock(body, s.block, address, problems, true);
      }
    }
  }
  const providers = json?.provider?.ibm;
  for (const [i, body] of (Array.isArray(providers) ? providers : providers ? [providers] : []).entries()) {
    const { alias, ...rest } = body ?? {};
    checkBlock(rest, schema.provider.block, `provider.ibm[${i}]`, problems, false);
  }
  return problems;
}

function checkBlock(body: any, block: SchemaBlock, address: string, problems: string[], topLevel: boolean): void {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    problems.push(`${address}: a block is a JSON object, got ${JSON.stringify(body)}`);
    return;
  }
  const attributes = block.attributes ?? {};
  const blockTypes = block.block_types ?? {};
  for (const [key, value] of Object.entries(body)) {
    if (key === '//' || (topLevel && META_ARGUMENTS.has(key))) continue;
    const at = `${address}.${key}`;
    const attribute = attributes[key];
    const nested = blockTypes[key];
    if (attribute) {
      if (attribute.computed && !attribute.optional && !attribute.required) {
        problems.push(`${at}: computed-only attribute; the provider sets it, a configuration may not`);
      } else if (value !== null && !hasType(value, attribute.type)) {
        problems.push(`${at}: expected ${JSON.stringify(attribute.type)}, got ${JSON.stringify(value)}`);
      }
    } else if (nested) {
      checkNested(value, nested, at, problems);
    } else {
      problems.push(`${at}: unknown argument; the schema has ${[...Object.keys(attributes), ...Object.keys(blockTypes)].sort().join(', ')}`);
    }
  }
  for (const [key, attribute] of Object.entries(attributes)) {
    if (attribute.required && (body[key] === undefined || body[key] === null)) problems.push(`${address}.${key}: required argument is missing`);
  }
  for (const [key, nested] of Object.entries(blockTypes)) {
    if (body[key] === undefined && (nested.min_items ?? 0) > 0) {
      problems.push(`${address}.${key}: required block is missing (at least ${nested.min_items})`);
    }
  }
}

function checkNested(value: unknown, nested: SchemaBlockType, at: string, problems: string[]): void {
  if (nested.nesting_mode === 'single' || nested.nesting_mode === 'group') {
    checkBlock(value, nested.block, at, problems, false);
    return;
  }
  if (nested.nesting_mode === 'map') {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) problems.push(`${at}: a map of blocks is a JSON object`);
    else for (const [label, b] of Object.entries(value)) checkBlock(b, nested.block, `${at}.${label}`, problems, false);
    return;
  }
  // list and set: Terraform JSON takes one block as an object, or any number as an array.
  const items = Array.isArray(value) ? value : [value];
  if (nested.min_items !== undefined && items.length < nested.min_items) problems.push(`${at}: ${items.length} blocks, at least ${nested.min_items} required`);
  if (nested.max_items !== undefined && items.length > nested.max_items) problems.push(`${at}: ${items.length} blocks, at most ${nested.max_items} allowed`);
  items.forEach((item, i) => checkBlock(item, nested.block, Array.isArray(value) ? `${at}[${i}]` : at, problems, false));
}

const isInterpolation = (v: unknown) => typeof v === 'string' && v.includes('${');

/** Whether a JSON value can be converted to a Terraform type, roughly as Terraform converts. */
function hasType(value: unknown, type: unknown): boolean {
  if (isInterpolation(value) || type === 'dynamic') return true;
  if (type === 'string') return ['string', 'number', 'boolean'].includes(typeof value);
  if (type === 'number') return typeof value === 'number' || (typeof value === 'string' && value.trim() !== '' && !Number.isNaN(Number(value)));
  if (type === 'bool') return typeof value === 'boolean' || value === 'true' || value === 'false';
  if (!Array.isArray(type)) return false;
  const [kind, inner] = type;
  if (kind === 'list' || kind === 'set') return Array.isArray(value) && value.every((v) => hasType(v, inner));
  if (kind === 'map') return isObject(value) && Object.values(value).every((v) => hasType(v, inner));
  if (kind === 'object') {
    return isObject(value) && Object.entries(value).every(([k, v]) => k in inner && hasType(v, inner[k]));
  }
  if (kind === 'tuple') return Array.isArray(value) && value.length === inner.length && value.every((v, i) => hasType(v, inner[i]));
  return false;
}

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
