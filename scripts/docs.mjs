#!/usr/bin/env node
// Generates docs/API.md, the API reference, from the doc comments of the package's entry points
// (`npm run docs`). TypeDoc with typedoc-plugin-markdown (configured by typedoc.json) renders one
// page per entry point into a temporary folder; this script joins them into one file in the
// order of package.json `exports`, makes every anchor unique across the joined pages, and checks
// that every in-document link resolves. The output depends only on the sources: no dates, no
// absolute paths, no git revisions, so test/package/api-docs.test.ts can compare it byte for byte.
//
//   node scripts/docs.mjs [--out docs/API.md] [--json <file>]
//
// --json also writes TypeDoc's JSON model of the same project (the tests read it to check that
// every optional property of a props interface documents its default).
import { Application, LogLevel, ReflectionKind } from 'typedoc';
import { MarkdownPageEvent } from 'typedoc-plugin-markdown';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

// What each entry point needs at run time; shown in the table at the top of the reference.
const NEEDS = {
  '.': 'nothing (plain TypeScript)',
  './k8s': '`cdk8s`, `constructs`; `cdk8s-plus-27` for WorkloadIdentityDeployment, WorkloadIdentityServiceAccount and TokenFetchJob',
  './terraform': '`cdktf`, `constructs`',
  './cdktn': '`cdktn`, `constructs` (`>=10.6 <10.8`, as cdktn 0.24 requires)',
};

class DocsError extends Error {}

/** Stops with a message (the temporary folder is still removed). */
function fail(message) {
  throw new DocsError(message);
}

function parseArgs(argv) {
  const args = { out: path.join(root, 'docs', 'API.md'), json: undefined };
  for (let i = 0; i < argv.length; i++) {
    const value = argv[i + 1];
    if (argv[i] === '--out' && value) { args.out = path.resolve(value); i++; }
    else if (argv[i] === '--json' && value) { args.json = path.resolve(value); i++; }
    else fail(`unknown argument ${argv[i]}; usage: node scripts/docs.mjs [--out docs/API.md] [--json <file>]`);
  }
  return args;
}

/**
 * Entry points built from another's sources: lib/cdktn is lib/terraform built for CDK Terrain
 * (scripts/engine-variant.js). They are documented once, under the entry point they copy.
 */
const BUILT_FROM = { 'src/cdktn/index.ts': 'src/terraform/index.ts' };

/** The package's entry points, from package.json `exports`, mapped to their sources. */
function entryPoints(pkg) {
  const result = [];
  for (const [subpath, target] of Object.entries(pkg.exports ?? { '.': pkg.types })) {
    const types = typeof target === 'string' ? target : target?.types;
    if (typeof types !== 'string' || !types.endsWith('.d.ts')) continue; // ./package.json
    const source = path.posix.normalize(types.replace(/^\.?\/?lib\//, 'src/').replace(/\.d\.ts$/, '.ts'));
    const name = subpath.replace(/^\.\/?/, '');
    result.push({
      subpath,
      source,
      specifier: name === '' ? pkg.name : `${pkg.name}/${name}`,
      // Anchors of the root entry point stay as TypeDoc makes them; the others get a prefix.
      anchor: name === '' ? '' : `${name.replace(/[^a-zA-Z0-9]+/g, '-').toLowerCase()}-`,
    });
  }
  return result;
}

function renderGeneratedNamespaceNote() {
  const index = path.join(root, 'src', 'terraform', 'generated', 'providers', 'ibm', 'index.ts');
  const namespaces = fs.existsSync(index)
    ? [...fs.readFileSync(index, 'utf8').matchAll(/export \* as (\w+) from/g)].map((m) => m[1]).sort()
    : [];
  return [
    'On CDK Terrain, import the same constructs and bindings from `iks-workload-identity/cdktn`',
    '(see [Moving to CDK Terrain](guides/cdktn-migration.md)).',
    '',
    'This entry point also exports **`ibm`**, the IBM provider bindings that `npm run build` generates',
    'with cdktf\'s provider generator from the vendored schema subset (`provider/ibm-provider-schema.json`).',
    'They are not documented here: each namespace holds one resource or data source class with its',
    'config interface, named as in the provider\'s Terraform documentation, e.g.',
    '`new ibm.provider.IbmProvider(stack, \'ibm\', { region: \'us-south\' })`.',
    ...(namespaces.length ? ['', `Namespaces: ${namespaces.map((n) => `\`ibm.${n}\``).join(', ')}.`] : []),
  ].join('\n');
}

/**
 * `@default - <prose>` (the convention for defaults that are not a literal) reads as prose:
 * TypeDoc would render a tag without inline code as a code block, dash included.
 */
function proseDefaults(project) {
  for (const reflection of Object.values(project.reflections)) {
    for (const tag of reflection.comment?.blockTags ?? []) {
      if (tag.tag !== '@default' && tag.tag !== '@defaultValue') continue;
      const [first, ...rest] = tag.content;
      const fenced = first?.kind === 'code' && rest.length === 0 ? /^```\w*\n([\s\S]*?)\n```$/.exec(first.text) : null;
      if (fenced && /^-\s/.test(fenced[1])) {
        tag.content = [{ kind: 'text', text: fenced[1].replace(/^-\s+/, '') }];
      } else if (first?.kind === 'text' && /^-\s/.test(first.text)) {
        tag.content = [{ ...first, text: first.text.replace(/^-\s+/, '') }, ...rest];
      }
    }
  }
}

/** Rewrites one rendered page for its place in the joined document. */
function joinPage(text, entry, url, byPage, ids) {
  const lines = text.replace(/\r\n/g, '\n').split('\n');
  if (!/^# /.test(lines[0] ?? '')) fail(`the page of ${entry.specifier} does not start with its title`);
  lines[0] = `<a id="${entry.anchor || 'root-'}module"></a>\n\n# \`${entry.specifier}\``;
  ids.push(`${entry.anchor || 'root-'}module`);
  if (entry.subpath === './terraform') lines[0] += `\n\n${renderGeneratedNamespaceNote()}`;
  let fenced = false;
  return lines.map((line, i) => {
    if (i === 0) return line;
    if (/^\s*(```|~~~)/.test(line)) fenced = !fenced;
    if (fenced) return line;
    return line
      .replace(/<a id="([^"]+)"><\/a>/g, (_, id) => {
        ids.push(entry.anchor + id);
        return `<a id="${entry.anchor}${id}"></a>`;
      })
      .replace(/\]\(([^)\s]*)\)/g, (whole, target) => {
        if (/^[a-z]+:/i.test(target)) return whole; // https:, mailto:
        const [file, hash] = target.split('#');
        const other = file === '' ? entry : byPage.get(path.posix.normalize(path.posix.join(path.posix.dirname(url), file)));
        if (!other) fail(`the page of ${entry.specifier} links to ${target}, which is not one of the joined pages`);
        return `](#${hash === undefined ? `${other.anchor || 'root-'}module` : other.anchor + hash})`;
      });
  }).join('\n');
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  process.chdir(root);
  const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
  const all = entryPoints(pkg);
  const entries = all.filter((e) => !BUILT_FROM[e.source]);
  const copies = all.filter((e) => BUILT_FROM[e.source]).map((e) => ({ ...e, of: entries.find((o) => o.source === BUILT_FROM[e.source]) }));
  for (const c of copies) if (!c.of) fail(`${c.specifier} is built from ${BUILT_FROM[c.source]}, which no entry point exports`);

  // typedoc.json lists the entry points; they must be exactly the package's, or a new entry
  // point would go undocumented.
  const typedocJson = JSON.parse(fs.readFileSync(path.join(root, 'typedoc.json'), 'utf8'));
  const configured = [...(typedocJson.entryPoints ?? [])].map((p) => path.posix.normalize(p)).sort();
  const expected = entries.map((e) => e.source).sort();
  if (JSON.stringify(configured) !== JSON.stringify(expected)) {
    fail(`typedoc.json entryPoints ${JSON.stringify(configured)} differ from the sources of package.json exports ${JSON.stringify(expected)}`);
  }
  for (const e of entries) {
    if (!fs.existsSync(path.join(root, e.source))) fail(`${e.source} (entry point ${e.specifier}) does not exist`);
  }
  if (!fs.existsSync(path.join(root, 'src', 'terraform', 'generated'))) {
    fail('src/terraform/generated is missing: run `npm run generate:provider` (or `npm run build`) first');
  }

  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'iks-wi-docs-'));
  try {
    const app = await Application.bootstrapWithPlugins({ out: tmp, logLevel: LogLevel.Warn });
    // The generated `ibm` bindings are left out on purpose (the note on the terraform entry
    // point names them); TypeDoc's warnings that public types reference them are noise.
    const log = app.logger.log.bind(app.logger);
    app.logger.log = (message, level) => {
      if (level === LogLevel.Warn && /src\/terraform\/generated\/.*is referenced by/.test(String(message))) return;
      log(message, level);
    };
    const project = await app.convert();
    if (!project || app.logger.hasErrors()) fail('TypeDoc could not convert the sources (see the errors above)');
    // Warns about public API that references types the entry points do not export.
    app.validate(project);
    proseDefaults(project);
    // Each entry point's module, found by its source file (not by the name TypeDoc gives it).
    const moduleOf = new Map();
    for (const m of project.getReflectionsByKind(ReflectionKind.Module)) {
      const source = project.getSymbolIdFromReflection(m)?.packagePath;
      const entry = entries.find((e) => e.source === source);
      if (entry) moduleOf.set(m.id, entry);
    }
    for (const e of entries) {
      if (![...moduleOf.values()].includes(e)) fail(`TypeDoc made no module of ${e.source} (${e.specifier})`);
    }
    const urlOf = new Map();
    app.renderer.on(MarkdownPageEvent.END, (page) => {
      const entry = moduleOf.get(page.model?.id);
      if (entry) urlOf.set(entry, page.url);
    });
    await app.generateOutputs(project);
    if (app.logger.hasErrors()) fail('TypeDoc could not render the reference (see the errors above)');
    if (args.json) {
      fs.mkdirSync(path.dirname(args.json), { recursive: true });
      fs.writeFileSync(args.json, JSON.stringify(app.serializer.projectToObject(project, root), null, 2));
    }

    const byPage = new Map(entries.map((e) => [urlOf.get(e), e]));
    const ids = [];
    const sections = entries.map((e) => {
      const url = urlOf.get(e);
      if (!url || !fs.existsSync(path.join(tmp, url))) fail(`TypeDoc wrote no page for ${e.specifier}`);
      return joinPage(fs.readFileSync(path.join(tmp, url), 'utf8'), e, url, byPage, ids);
    });

    for (const c of copies) ids.push(`${c.anchor}module`);
    const copySections = copies.map((c) => [
      `<a id="${c.anchor}module"></a>`,
      '',
      `# \`${c.specifier}\``,
      '',
      `The exports of [\`${c.of.specifier}\`](#${c.of.anchor || 'root-'}module), the same constructs and \`ibm\` bindings,`,
      'built on CDK Terrain (`cdktn`) instead of CDK for Terraform. See',
      '[Moving to CDK Terrain](guides/cdktn-migration.md).',
    ].join('\n'));

    const header = [
      '# API reference',
      '',
      '<!-- Generated by `npm run docs` (scripts/docs.mjs, typedoc.json) from the doc comments in src/. Do not edit. -->',
      '',
      `\`${pkg.name}\` has ${all.length} entry points. Import each from its own path; a repo that uses one`,
      'side needs only that side\'s framework (the frameworks are optional peer dependencies).',
      '',
      '| import | needs |',
      '| --- | --- |',
      ...[...entries, ...copies].map((e) => `| [\`${e.specifier}\`](#${e.anchor || 'root-'}module) | ${NEEDS[e.subpath] ?? ''} |`),
      '',
      'Optional properties name their default under **Default**.',
    ].join('\n');

    let doc = [header, ...sections, ...copySections].join('\n\n');
    doc = doc.replace(/[ \t]+$/gm, '').replace(/\n{3,}/g, '\n\n').trimEnd() + '\n';

    // Every anchor unique, every in-document link resolving to one.
    const seen = new Set();
    for (const id of ids) {
      if (seen.has(id)) fail(`anchor "${id}" occurs twice in the joined reference`);
      seen.add(id);
    }
    const broken = [...new Set([...doc.matchAll(/\]\(#([^)\s]+)\)/g)].map((m) => m[1]).filter((id) => !seen.has(id)))];
    if (broken.length) fail(`links to missing anchors: ${broken.join(', ')}`);
    if (doc.includes(root)) fail(`the reference contains the absolute path ${root}`);

    fs.mkdirSync(path.dirname(args.out), { recursive: true });
    fs.writeFileSync(args.out, doc);
    const shown = args.out.startsWith(root + path.sep) ? path.relative(root, args.out) : args.out;
    process.stdout.write(`docs: wrote ${shown} (${all.map((e) => e.specifier).join(', ')})\n`);
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

main().catch((err) => {
  process.stderr.write(`docs: ${err instanceof DocsError ? err.message : err?.stack ?? err}\n`);
  process.exitCode = 1;
});
