// The API reference, docs/API.md, is generated from the doc comments (`npm run docs`); these
// tests regenerate it into a temporary folder and require the committed file to match it byte
// for byte, and require every optional property of the props that users pass to document its
// default. Runs after the build that `npm test` does first (the provider bindings must exist).
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { PACKAGE, ROOT, tempDir } from './support';

jest.setTimeout(120_000);

const DOCS = path.join(ROOT, 'docs', 'API.md');

// TypeDoc's ReflectionKind values (typedoc/dist/types/lib/models/kind.d.ts).
const Kind = {
  Module: 2,
  Namespace: 4,
  Class: 128,
  Interface: 256,
  Constructor: 512,
  Property: 1024,
  ConstructorSignature: 16384,
  TypeLiteral: 65536,
  TypeAlias: 2097152,
} as const;

interface Reflection {
  id: number;
  name: string;
  kind: number;
  flags?: { isOptional?: boolean };
  comment?: { blockTags?: { tag: string }[] };
  children?: Reflection[];
  signatures?: Reflection[];
  parameters?: Reflection[];
  type?: any;
  inheritedFrom?: { name?: string; target?: number };
}

let work: string;
let generated: string;
let model: Reflection;

beforeAll(() => {
  work = tempDir('iks-wi-api-docs-');
  const result = spawnSync(
    process.execPath,
    [path.join(ROOT, 'scripts', 'docs.mjs'), '--out', path.join(work, 'API.md'), '--json', path.join(work, 'api.json')],
    { cwd: ROOT, encoding: 'utf8' },
  );
  if (result.status !== 0) throw new Error(`node scripts/docs.mjs exited ${result.status}\n${result.stdout}\n${result.stderr}`);
  generated = fs.readFileSync(path.join(work, 'API.md'), 'utf8');
  model = JSON.parse(fs.readFileSync(path.join(work, 'api.json'), 'utf8'));
});

afterAll(() => {
  if (work) fs.rmSync(work, { recursive: true, force: true });
});

describe('docs/API.md', () => {
  test('is current: regenerating it from the sources changes nothing', () => {
    // GIVEN the reference just generated from the sources
    // THEN the committed file is identical
    if (!fs.existsSync(DOCS)) throw new Error('docs/API.md does not exist: run npm run docs');
    const committed = fs.readFileSync(DOCS, 'utf8');
    if (committed !== generated) {
      const a = committed.split('\n');
      const b = generated.split('\n');
      let line = 0;
      while (line < Math.max(a.length, b.length) && a[line] === b[line]) line++;
      throw new Error(
        `docs/API.md is out of date: run npm run docs\n` +
        `first difference at line ${line + 1}:\n  committed: ${JSON.stringify(a[line])}\n  generated: ${JSON.stringify(b[line])}`,
      );
    }
  });

  test('documents each entry point, and leaves the generated provider bindings out', () => {
    // Code entry points only: package.json and the data file's JSON Schema are data, not modules.
    for (const subpath of Object.keys(PACKAGE.exports).filter((s) => !s.endsWith('.json'))) {
      const specifier = subpath === '.' ? PACKAGE.name : `${PACKAGE.name}/${subpath.slice(2)}`;
      expect(generated).toContain(`# \`${specifier}\``);
    }
    expect(generated).toContain('### WorkloadIdentity\n');
    expect(generated).toContain('### WorkloadIdentityDeployment\n');
    expect(generated).toContain('### WorkloadIdentityProfile\n');
    // The `ibm` namespace is named, its thousands of generated members are not rendered.
    expect(generated).toContain('`ibm.provider`');
    expect(generated).not.toMatch(/^#+ (IbmProvider|IamTrustedProfileConfig)$/m);
  });

  test('depends on nothing but the sources: no dates, absolute paths or revisions', () => {
    expect(generated).not.toContain(ROOT);
    expect(generated).not.toMatch(/\b20\d\d-\d\d-\d\d\b|Defined in|blob\/[0-9a-f]{7,}/);
  });
});

describe('doc comments', () => {
  test('every optional property of the props users pass documents its default (@default)', () => {
    // GIVEN TypeDoc's model of the public API (generated bindings excluded)
    const byId = new Map<number, Reflection>();
    const moduleOf = new Map<number, string>();
    const index = (r: Reflection, module: string) => {
      byId.set(r.id, r);
      moduleOf.set(r.id, module);
      for (const child of [...(r.children ?? []), ...(r.signatures ?? []), ...(r.parameters ?? [])]) {
        index(child, r.kind === Kind.Module ? r.name : module);
      }
      if (r.type?.type === 'reflection') index(r.type.declaration, module);
    };
    index(model, '');
    const all = [...byId.values()];

    // The props: interfaces and type aliases named *Props or *Options, and the types of every
    // constructor's parameters; then every interface or object type their properties use.
    const roots: Reflection[] = all.filter((r) => (r.kind === Kind.Interface || r.kind === Kind.TypeAlias) && /(Props|Options)$/.test(r.name));
    const rootTypes: any[] = all
      .filter((r) => r.kind === Kind.ConstructorSignature)
      .flatMap((s) => (s.parameters ?? []).map((p) => p.type));

    const seen = new Set<number>();
    const offenders = new Set<string>();
    const label = (owner: Reflection, prop: Reflection) => {
      const module = moduleOf.get(owner.id) || 'index';
      const where = module === 'index' ? PACKAGE.name : module.startsWith(PACKAGE.name) ? module : `${PACKAGE.name}/${module}`;
      // An inherited property is reported where it is declared.
      return `${where}: ${prop.inheritedFrom?.name ?? `${owner.name}.${prop.name}`}`;
    };
    const visitType = (t: any): void => {
      if (!t || typeof t !== 'object') return;
      switch (t.type) {
        case 'reference': {
          const target = typeof t.target === 'number' ? byId.get(t.target) : undefined;
          if (target) visitDeclaration(target);
          (t.typeArguments ?? []).forEach(visitType);
          return;
        }
        case 'reflection': return visitDeclaration(t.declaration);
        case 'array': return visitType(t.elementType);
        case 'union':
        case 'intersection': return t.types.forEach(visitType);
        case 'typeOperator': return visitType(t.target);
        case 'tuple': return (t.elements ?? []).forEach(visitType);
        case 'optional':
        case 'rest': return visitType(t.elementType);
        default: return;
      }
    };
    const visitDeclaration = (d: Reflection): void => {
      if (seen.has(d.id)) return;
      seen.add(d.id);
      if (d.kind === Kind.TypeAlias) return visitType(d.type);
      if (d.kind !== Kind.Interface && d.kind !== Kind.TypeLiteral) return;
      for (const prop of d.children ?? []) {
        if (prop.kind !== Kind.Property) continue;
        const tags = (prop.comment?.blockTags ?? []).map((b) => b.tag);
        if (prop.flags?.isOptional && !tags.includes('@default') && !tags.includes('@defaultValue')) offenders.add(label(d, prop));
        visitType(prop.type);
      }
    };
    roots.forEach(visitDeclaration);
    rootTypes.forEach(visitType);

    // THEN none lacks a @default
    expect(seen.size).toBeGreaterThan(10);
    if (offenders.size) {
      throw new Error(`optional properties without a @default tag (document the default, e.g. \`@default 3600\` or \`@default - none: ...\`):\n  ${[...offenders].sort().join('\n  ')}`);
    }
  });
});
