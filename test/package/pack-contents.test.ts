// What `npm pack` puts in the tarball: the compiled entry points with their declarations, the
// generated provider bindings, the Job's script and the documents; nothing of the repository's
// sources, tests, examples or synthesized outputs. Runs after the build that `npm test` does first.
import { builtinModules } from 'module';
import * as fs from 'fs';
import * as path from 'path';
import { PACKAGE, packedFiles, ROOT } from './support';

const packed = packedFiles();
const paths = packed.files.map((f) => f.path).sort();
const pathSet = new Set(paths);

/** A package.json target (`./lib/index.js`) as a packed path (`lib/index.js`). */
const packedPath = (target: string) => path.posix.normalize(target).replace(/^\.\//, '');

describe('npm pack', () => {
  test('contains the four entry points, compiled, with their declarations', () => {
    // GIVEN the tarball's file list THEN each entry point's JavaScript and .d.ts are in it
    for (const entry of ['lib/index', 'lib/k8s/index', 'lib/terraform/index', 'lib/cdktn/index']) {
      expect(paths).toContain(`${entry}.js`);
      expect(paths).toContain(`${entry}.d.ts`);
    }
  });

  test('contains every file package.json points to: main, types, exports, typesVersions, bin', () => {
    const targets: string[] = [PACKAGE.main, PACKAGE.types];
    for (const target of Object.values<any>(PACKAGE.exports ?? {})) {
      if (typeof target === 'string') targets.push(target);
      else targets.push(...Object.values<string>(target));
    }
    for (const mapped of Object.values<Record<string, string[]>>(PACKAGE.typesVersions ?? {})) {
      for (const list of Object.values(mapped)) targets.push(...list.filter((t) => !t.includes('*')));
    }
    targets.push(...Object.values<string>(typeof PACKAGE.bin === 'string' ? { [PACKAGE.name]: PACKAGE.bin } : PACKAGE.bin ?? {}));
    const missing = targets.map(packedPath).filter((t) => !pathSet.has(t));
    expect(missing).toEqual([]);
  });

  test('the bin is a Node script', () => {
    for (const bin of Object.values<string>(PACKAGE.bin ?? {})) {
      expect(fs.readFileSync(path.join(ROOT, bin), 'utf8').split('\n')[0]).toBe('#!/usr/bin/env node');
    }
  });

  test.each(['terraform', 'cdktn'])('contains the generated IBM provider bindings the %s entry point exports', (entry) => {
    expect(paths).toContain(`lib/${entry}/generated/providers/ibm/index.js`);
    expect(paths).toContain(`lib/${entry}/generated/providers/ibm/index.d.ts`);
    for (const binding of ['provider', 'iam-trusted-profile', 'iam-trusted-profile-link', 'iam-trusted-profile-claim-rule', 'iam-trusted-profile-policy']) {
      expect(paths).toContain(`lib/${entry}/generated/providers/ibm/${binding}/index.js`);
      expect(paths).toContain(`lib/${entry}/generated/providers/ibm/${binding}/index.d.ts`);
    }
  });

  test('holds the CDK Terrain build as the cdktf one with only the engine module swapped', () => {
    // GIVEN the packed files of both Terraform entry points
    const under = (dir: string) => paths.filter((p) => p.startsWith(`lib/${dir}/`)).map((p) => p.slice(dir.length + 5)).sort();

    // THEN they are the same files, and lib/cdktn's engine loads cdktn
    expect(under('cdktn')).toEqual(under('terraform'));
    expect(fs.readFileSync(path.join(ROOT, 'lib', 'cdktn', 'engine.js'), 'utf8')).toMatch(/require\("cdktn"\)/);
  });

  test('contains the token-fetch script beside the Job that reads it, and the documents', () => {
    expect(paths).toEqual(expect.arrayContaining(['lib/k8s/token-fetch.sh', 'README.md', 'LICENSE', 'CHANGELOG.md', 'package.json']));
    expect(PACKAGE.license).toBe('Apache-2.0');
    expect(fs.readFileSync(path.join(ROOT, 'LICENSE'), 'utf8')).toMatch(/Apache License\s+Version 2\.0/);
  });

  test('every compiled module has its declarations and comes from a current source file', () => {
    // Declarations for every module; no output of a source file that no longer exists (which
    // `tsc` leaves behind in lib/ and `npm run prepack` removes with a clean build).
    const js = paths.filter((p) => p.endsWith('.js'));
    expect(js.filter((p) => !pathSet.has(p.replace(/\.js$/, '.d.ts')))).toEqual([]);
    expect(paths.filter((p) => p.endsWith('.d.ts') && !pathSet.has(p.replace(/\.d\.ts$/, '.js')))).toEqual([]);
    // lib/cdktn is compiled from src/terraform (scripts/engine-variant.js copies it).
    const source = (p: string) => p.replace(/^lib\/cdktn\//, 'lib/terraform/').replace(/^lib\//, 'src/').replace(/\.js$/, '.ts');
    const stale = js.filter((p) => !fs.existsSync(path.join(ROOT, source(p))));
    if (stale.length) throw new Error(`lib/ holds output of deleted sources, which would be packed: ${stale.join(', ')}; run \`rm -rf lib && npm run build\``);
  });

  test('every require in the packed JavaScript resolves: to a packed file, a dependency, a peer or a Node built-in', () => {
    const declared = new Set([...Object.keys(PACKAGE.dependencies ?? {}), ...Object.keys(PACKAGE.peerDependencies ?? {})]);
    const builtins = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));
    const problems: string[] = [];
    for (const file of paths.filter((p) => p.endsWith('.js'))) {
      const source = fs.readFileSync(path.join(ROOT, file), 'utf8');
      for (const [, spec] of source.matchAll(/\brequire\(["']([^"']+)["']\)/g)) {
        if (spec.startsWith('.')) {
          const base = path.posix.join(path.posix.dirname(file), spec);
          const candidates = [base, `${base}.js`, `${base}/index.js`];
          if (!candidates.some((c) => pathSet.has(c))) problems.push(`${file}: require("${spec}") is not in the tarball`);
        } else {
          const name = spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0];
          if (!builtins.has(spec) && !declared.has(name)) problems.push(`${file}: require("${spec}") is neither a dependency nor a peer dependency`);
        }
      }
    }
    expect(problems).toEqual([]);
  });

  test('contains no sources, tests, fixtures, examples, provider schema or synthesized outputs', () => {
    const forbidden = paths.filter((p) =>
      /^(src|test|tests|examples|build|dist|cdktf\.out|coverage|provider|bench|scripts|docs|node_modules|\.ci|\.github)\//.test(p) ||
      /\.tsbuildinfo$/.test(p) ||
      (/\.ts$/.test(p) && !/\.d\.ts$/.test(p)) ||
      /\.(tgz|tfstate|log)$/.test(p) ||
      /(^|\/)cdk\.tf\.json$|\.k8s\.yaml$|(^|\/)manifest\.json$/.test(p) ||
      /^lib\/.*README\.md$/.test(p) ||
      /^(cdk8s\.yaml|cdktf\.json|tsconfig.*\.json|jest\.config\.js|typedoc\.json|package-lock\.json|\.gitignore)$/.test(p),
    );
    expect(forbidden).toEqual([]);
    // Everything is under lib/ or one of the top-level documents.
    expect(paths.filter((p) => !p.startsWith('lib/') && !['package.json', 'README.md', 'LICENSE', 'CHANGELOG.md'].includes(p))).toEqual([]);
  });

  test('is versioned 0.x, with a CHANGELOG section for the version', () => {
    // While the API may still change, the version is 0.x; every version users can install has
    // its section in the packed CHANGELOG.
    expect(PACKAGE.version).toMatch(/^0\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/);
    const changelog = fs.readFileSync(path.join(ROOT, 'CHANGELOG.md'), 'utf8');
    const escaped = PACKAGE.version.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    expect(changelog).toMatch(new RegExp(`^## \\[?${escaped}\\]?( |$)`, 'm'));
  });

  test('stays small', () => {
    // The bindings are a subset of the provider; the whole provider would be tens of megabytes.
    expect(packed.size).toBeLessThan(1_000_000);
  });
});
