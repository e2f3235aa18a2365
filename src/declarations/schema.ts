// The JSON Schema of a declarations file, generated from the shape table the loader enforces
// (ENTRY_KEYS, POLICY_ITEM, WORKLOAD): editors (VS Code's YAML extension, through a
// `# yaml-language-server: $schema=...` line) complete keys and refuse wrong types as people
// type. The loader checks more than a schema can say; docs/data-file.md lists what.
import { refusedTextPatterns, TextLanding } from '../model/text-policy';
import { ENTRY_SHAPE } from './identities-from-data';
import { describe as describeShape, ObjectShape, Shape } from './shape';
import { WORKLOAD } from './workload';

type JsonSchema = Record<string, unknown>;

/**
 * The JSON Schema (draft-07, which editors support best) of a declarations file whose entries
 * carry a `workload` block, as `iks-workload-identity synth` reads it.
 */
export function declarationsJsonSchema(): JsonSchema {
  const entry = objectSchema({ ...ENTRY_SHAPE, keys: { ...ENTRY_SHAPE.keys, workload: WORKLOAD }, modelRequires: [...ENTRY_SHAPE.modelRequires ?? [], 'workload'] });
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    title: 'iks-workload-identity declarations file',
    description: 'Workload identities (IBM Cloud IAM trusted profiles and the Kubernetes objects that use them) as data. Every key and rule: docs/data-file.md.',
    type: 'object',
    properties: { identities: { type: 'array', items: entry, description: 'One entry per workload identity.' } },
    required: ['identities'],
    // Top-level "x-..." keys hold YAML anchors; the loader ignores them.
    patternProperties: { '^x-': {} },
    additionalProperties: false,
    definitions: Object.fromEntries(Object.values(TextLanding).map((landing) => [`text-${landing}`, textSchema(landing)])),
  };
}

function schemaOf(shape: Shape): JsonSchema {
  switch (shape.type) {
    case 'string': return { $ref: `#/definitions/text-${shape.landing}` };
    case 'integer': return { type: 'integer', ...(shape.min !== undefined ? { minimum: shape.min } : {}), ...(shape.max !== undefined ? { maximum: shape.max } : {}) };
    case 'boolean': return { type: 'boolean' };
    case 'enum': return { enum: [...shape.values] };
    case 'list': return { type: 'array', items: schemaOf(shape.item) };
    case 'map': return { type: 'object', additionalProperties: schemaOf(shape.value) };
    case 'object': return objectSchema(shape);
    case 'tagged': {
      const names = Object.keys(shape.variants);
      return {
        type: 'object',
        description: describeShape(shape),
        if: { type: 'object', properties: { [shape.tag]: {} }, required: [shape.tag] },
        then: {
          properties: { [shape.tag]: { enum: names } },
          required: [shape.tag],
          allOf: names.map((name) => ({ if: { properties: { [shape.tag]: { const: name } } }, then: objectSchema(shape.variants[name]) })),
        },
        else: objectSchema(shape.otherwise),
      };
    }
  }
}

function objectSchema(shape: ObjectShape): JsonSchema {
  const required = [...shape.required ?? [], ...shape.modelRequires ?? []];
  const properties: Record<string, JsonSchema> = {};
  for (const [key, value] of Object.entries(shape.keys)) properties[key] = schemaOf(value);
  return {
    type: 'object',
    properties,
    additionalProperties: false,
    ...(required.length > 0 ? { required: [...required] } : {}),
    ...(shape.exactlyOne ? { minProperties: 1, maxProperties: 1 } : {}),
  };
}

/** A string, refusing what the text policy refuses where it lands. */
function textSchema(landing: TextLanding): JsonSchema {
  const refused = refusedTextPatterns(landing).map((r) => ({ not: { pattern: r.source } }));
  return { type: 'string', description: `text that lands in: ${landing}`, ...(refused.length === 1 ? refused[0] : { allOf: refused }) };
}
