// The packed library in fresh consumer projects, as a platform repo installs it: `npm pack`, then
// `npm install <tarball>` with the peer dependencies a user would add (no workspace links, no
// paths into this repository), a small app compiled under `strict` with the project's own
// TypeScript, and both sides synthesized. A second project installs only the Terraform side's
// peers and must not need cdk8s. Two more install no cdk8s-plus-27: one with cdk8s-plus-33 (the
// newest line), one with no cdk8s-plus at all (L1 objects and included YAML only). One more
// installs CDK Terrain (`cdktn`) and no cdktf. Runs after the build that `npm test` does first.
//
// The peers default to the versions this repository's lockfile installs (in the npm cache after
// `npm ci`). IWI_CONSUMER_PEERS overrides some, e.g. to try the lowest versions the peer ranges
// allow: IWI_CONSUMER_PEERS="cdk8s@2.68.0 cdk8s-plus-27@2.7.1 constructs@10.3.0" npx jest test/package/consumer
import * as fs from 'fs';
import * as path from 'path';
import { parseAllDocuments } from 'yaml';
import { describeRun, lockedVersion, pack, PACKAGE, run, RunResult, scratchProject, tempDir } from './support';

jest.setTimeout(240_000);

const FIXTURES = path.join(__dirname, 'consumer');
const NAME: string = PACKAGE.name;

function peerSpecs(names: readonly string[]): string[] {
  const overrides = new Map(
    (process.env.IWI_CONSUMER_PEERS ?? '').split(/\s+/).filter(Boolean).map((spec) => [spec.replace(/(.)@.*$/, '$1'), spec]),
  );
  return names.map((name) => overrides.get(name) ?? `${name}@${lockedVersion(name)}`);
}

/** Strict consumer settings; each variant adds its module system and resolution. */
function tsconfig(compilerOptions: object, files: readonly string[]) {
  return {
    compilerOptions: {
      target: 'ES2022',
      lib: ['ES2022'],
      strict: true,
      noUnusedLocals: true,
      esModuleInterop: true,
      forceConsistentCasingInFileNames: true,
      ...compilerOptions,
    },
    files,
  };
}

const RESOLUTIONS = {
  // Classic Node resolution (no `exports`): the subpaths resolve through `typesVersions`.
  node: { module: 'commonjs', moduleResolution: 'node', noEmit: true },
  // Node 16+ resolution through `exports`; this variant also emits the JavaScript that runs.
  node16: { module: 'node16', moduleResolution: 'node16', outDir: 'dist' },
  // Bundlers (esbuild, webpack, Vite) resolve through `exports` with the `import` condition.
  bundler: { module: 'esnext', moduleResolution: 'bundler', noEmit: true },
} as const;

let work: string;
let full: string;
let terraformOnly: string;
let l1Only: string;
let plus33: string;
let cdktnOnly: string;

beforeAll(async () => {
  work = tempDir('iks-wi-consumer-');
  full = path.join(work, 'full');
  terraformOnly = path.join(work, 'terraform-only');
  l1Only = path.join(work, 'l1-only');
  plus33 = path.join(work, 'plus33');
  cdktnOnly = path.join(work, 'cdktn-only');
  const tarball = await pack(work);
  const tooling = [`typescript@${lockedVersion('typescript')}`];
  await Promise.all([
    scratchProject(full, { name: 'platform-repo' }, [
      tarball,
      ...peerSpecs(['cdk8s', 'cdk8s-plus-27', 'cdktf', 'constructs']),
      ...tooling,
      `@types/node@${lockedVersion('@types/node')}`,
    ]),
    scratchProject(terraformOnly, { name: 'terraform-only-repo' }, [tarball, ...peerSpecs(['cdktf', 'constructs']), ...tooling]),
    scratchProject(l1Only, { name: 'l1-only-repo' }, [tarball, ...peerSpecs(['cdk8s', 'constructs']), ...tooling, `@types/node@${lockedVersion('@types/node')}`]),
    scratchProject(plus33, { name: 'plus33-repo' }, [tarball, ...peerSpecs(['cdk8s', 'cdk8s-plus-33', 'constructs']), ...tooling, `@types/node@${lockedVersion('@types/node')}`]),
    scratchProject(cdktnOnly, { name: 'cdktn-repo' }, [tarball, ...peerSpecs(['cdktn', 'constructs']), ...tooling]),
  ]);

  fs.mkdirSync(path.join(full, 'src'));
  fs.copyFileSync(path.join(FIXTURES, 'app.ts'), path.join(full, 'src', 'app.ts'));
  fs.copyFileSync(path.join(FIXTURES, 'esm-check.mjs'), path.join(full, 'esm-check.mjs'));
  for (const [variant, options] of Object.entries(RESOLUTIONS)) {
    const config = tsconfig({ ...options, rootDir: 'src', types: ['node'] }, ['src/app.ts']);
    fs.writeFileSync(path.join(full, `tsconfig.${variant}.json`), JSON.stringify(config, null, 2));
  }

  fs.mkdirSync(path.join(terraformOnly, 'src'));
  fs.copyFileSync(path.join(FIXTURES, 'terraform-only.ts'), path.join(terraformOnly, 'src', 'main.ts'));
  // No @types/node either: the root and Terraform declarations must not need Node's types.
  const config = tsconfig({ ...RESOLUTIONS.node16, rootDir: 'src', types: [] }, ['src/main.ts']);
  fs.writeFileSync(path.join(terraformOnly, 'tsconfig.json'), JSON.stringify(config, null, 2));

  // Without cdk8s-plus-27 the declarations of the constructs built on it name a module that is
  // not installed; skipLibCheck (tsc --init's default) leaves other packages' declarations alone.
  for (const [project, file] of [[l1Only, 'l1-only.ts'], [plus33, 'plus33.ts']]) {
    fs.mkdirSync(path.join(project, 'src'));
    fs.copyFileSync(path.join(FIXTURES, file), path.join(project, 'src', 'main.ts'));
    const withoutPlus27 = tsconfig({ ...RESOLUTIONS.node16, rootDir: 'src', types: ['node'], skipLibCheck: true }, ['src/main.ts']);
    fs.writeFileSync(path.join(project, 'tsconfig.json'), JSON.stringify(withoutPlus27, null, 2));
  }
  fs.copyFileSync(path.join(FIXTURES, 'vendored.yaml'), path.join(l1Only, 'vendored.yaml'));

  fs.mkdirSync(path.join(cdktnOnly, 'src'));
  fs.copyFileSync(path.join(FIXTURES, 'cdktn-only.ts'), path.join(cdktnOnly, 'src', 'main.ts'));
  fs.writeFileSync(path.join(cdktnOnly, 'tsconfig.json'), JSON.stringify(tsconfig({ ...RESOLUTIONS.node16, rootDir: 'src', types: [] }, ['src/main.ts']), null, 2));
  // Classic resolution finds `/cdktn` through typesVersions.
  fs.writeFileSync(path.join(cdktnOnly, 'tsconfig.node.json'), JSON.stringify(tsconfig({ ...RESOLUTIONS.node, types: [] }, ['src/main.ts']), null, 2));
});

afterAll(() => {
  // IWI_KEEP_CONSUMER=1 keeps the scratch projects to look into.
  if (process.env.IWI_KEEP_CONSUMER) process.stdout.write(`consumer projects kept in ${work}\n`);
  else if (work) fs.rmSync(work, { recursive: true, force: true });
});

function tsc(project: string, tsconfigFile: string): Promise<RunResult> {
  return run(process.execPath, [path.join(project, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', tsconfigFile], project);
}

describe('a consumer with both sides', () => {
  test('installs the tarball, not a link, with its dependencies', () => {
    // GIVEN the installed package
    const installed = path.join(full, 'node_modules', NAME);
    // THEN it is a copy of the tarball's contents: no link back into this repository
    expect(fs.lstatSync(installed).isSymbolicLink()).toBe(false);
    expect(JSON.parse(fs.readFileSync(path.join(installed, 'package.json'), 'utf8')).version).toBe(PACKAGE.version);
    expect(fs.existsSync(path.join(installed, 'src'))).toBe(false);
    for (const dependency of Object.keys(PACKAGE.dependencies ?? {})) {
      expect(fs.existsSync(path.join(full, 'node_modules', dependency, 'package.json'))).toBe(true);
    }
  });

  test.each(Object.keys(RESOLUTIONS))('compiles under strict with moduleResolution %s', async (variant) => {
    // WHEN the consumer's own TypeScript compiles the app with this module resolution
    const result = await tsc(full, `tsconfig.${variant}.json`);
    // THEN it compiles cleanly: all three entry points resolve, with types (the app also has
    // a @ts-expect-error that only a real type satisfies)
    if (result.status !== 0) throw new Error(describeRun(`tsc -p tsconfig.${variant}.json`, result));
  });

  describe('synthesized', () => {
    let out: string;

    beforeAll(async () => {
      // GIVEN the app compiled by the node16 variant (test above; compile again if run alone)
      const compiled = path.join(full, 'dist', 'app.js');
      if (!fs.existsSync(compiled)) {
        const result = await tsc(full, 'tsconfig.node16.json');
        if (result.status !== 0) throw new Error(describeRun('tsc -p tsconfig.node16.json', result));
      }
      // WHEN the app runs, as `cdk8s synth` and `cdktf synth` would run it
      out = path.join(work, 'out');
      const result = await run(process.execPath, [compiled, out], full);
      if (result.status !== 0) throw new Error(describeRun('node dist/app.js', result));
    });

    test('the Kubernetes manifests: service account, Deployment with the projected token, token-fetch Job', () => {
      // THEN one manifest file holds the three objects
      expect(fs.readdirSync(path.join(out, 'k8s'))).toEqual(['payments-api.k8s.yaml']);
      const objects = parseAllDocuments(fs.readFileSync(path.join(out, 'k8s', 'payments-api.k8s.yaml'), 'utf8')).map((d) => d.toJS());
      expect(objects.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual(
        expect.arrayContaining(['ServiceAccount/payments-api', 'Deployment/payments-api', 'Job/payments-api-token-fetch']),
      );
      // AND the Deployment's pods run as the service account with the IAM-audience token mounted
      const deployment = objects.find((o) => o.kind === 'Deployment');
      const pod = deployment.spec.template.spec;
      expect(pod.serviceAccountName).toBe('payments-api');
      expect(pod.volumes).toContainEqual({
        name: 'sa-token',
        projected: { sources: [{ serviceAccountToken: { audience: 'iam', expirationSeconds: 3600, path: 'sa-token' } }] },
      });
      expect(pod.containers[0].volumeMounts).toContainEqual(expect.objectContaining({ name: 'sa-token', mountPath: '/var/run/secrets/tokens', readOnly: true }));
      expect(pod.containers[0].env).toContainEqual({ name: 'SECRETS_MANAGER_AUTH_TYPE', value: 'container' });
    });

    test('the Terraform stack: provider, trusted profile, link and policies', () => {
      // THEN the stack's JSON configures the IBM provider and holds the profile's resources
      const stack = JSON.parse(fs.readFileSync(path.join(out, 'terraform', 'stacks', 'payments-api', 'cdk.tf.json'), 'utf8'));
      expect(stack.provider.ibm).toEqual([expect.objectContaining({ region: 'us-south' })]);
      expect(stack.terraform.required_providers.ibm.source).toMatch(/ibm-cloud\/ibm$/i);
      expect(Object.values(stack.resource.ibm_iam_trusted_profile)).toEqual([expect.objectContaining({ name: 'payments-api' })]);
      expect(Object.values(stack.resource.ibm_iam_trusted_profile_link)).toEqual([
        expect.objectContaining({ cr_type: 'IKS_SA', link: expect.objectContaining({ namespace: 'payments', name: 'payments-api' }) }),
      ]);
      expect(Object.keys(stack.resource.ibm_iam_trusted_profile_policy)).toHaveLength(2);
    });

    test('the bin runs from the installed package', async () => {
      // GIVEN the command npm linked from the package's `bin`
      const bins = Object.keys(PACKAGE.bin ?? {});
      for (const bin of bins) {
        const link = path.join(full, 'node_modules', '.bin', bin);
        expect(fs.existsSync(link)).toBe(true);
        expect(fs.readFileSync(link, 'utf8').startsWith('#!/usr/bin/env node')).toBe(true);
        // WHEN it lists its rules THEN it runs with the installed dependencies
        const result = await run(link, ['rules'], full);
        if (result.status !== 0) throw new Error(describeRun(`${bin} rules`, result));
        expect(result.stdout).toMatch(/IWI-/);
      }
    });
  });

  test('an ES module imports the entry points by name', async () => {
    // WHEN a .mjs file imports named exports from the three CommonJS entry points
    const result = await run(process.execPath, ['esm-check.mjs'], full);
    if (result.status !== 0) throw new Error(describeRun('node esm-check.mjs', result));
    // THEN every one is defined
    const imported: Record<string, string> = JSON.parse(result.stdout);
    for (const [name, type] of Object.entries(imported)) expect(`${name}: ${type}`).not.toMatch(/: undefined$/);
  });
});

describe('a Terraform-only consumer (no cdk8s installed)', () => {
  test('has no cdk8s', () => {
    // GIVEN a project that installed the tarball with only cdktf and constructs
    for (const name of ['cdk8s', 'cdk8s-plus-27']) {
      expect(fs.existsSync(path.join(terraformOnly, 'node_modules', name))).toBe(false);
    }
  });

  test('compiles and synthesizes the profile from the root and terraform entry points', async () => {
    // WHEN it compiles (strict, node16, without @types/node) and runs its app
    const compiled = await tsc(terraformOnly, 'tsconfig.json');
    if (compiled.status !== 0) throw new Error(describeRun('tsc', compiled));
    const result = await run(process.execPath, [path.join('dist', 'main.js')], terraformOnly);
    if (result.status !== 0) throw new Error(describeRun('node dist/main.js', result));
    // THEN the stack holds the profile and a ROKS link
    const stack = JSON.parse(fs.readFileSync(path.join(terraformOnly, 'cdktf.out', 'stacks', 'reports-job', 'cdk.tf.json'), 'utf8'));
    expect(Object.values(stack.resource.ibm_iam_trusted_profile)).toEqual([expect.objectContaining({ name: 'reports-job' })]);
    expect(Object.values(stack.resource.ibm_iam_trusted_profile_link)).toEqual([expect.objectContaining({ cr_type: 'ROKS_SA' })]);
  });

  test('the root entry point loads no framework', async () => {
    // WHEN the project loads the identity model
    const script = `require(${JSON.stringify(NAME)}); const loaded = Object.keys(require.cache).filter((f) => /node_modules[\\\\/](cdktf|cdk8s|constructs)[\\\\/]/.test(f)); console.log(JSON.stringify(loaded));`;
    const result = await run(process.execPath, ['-e', script], terraformOnly);
    if (result.status !== 0) throw new Error(describeRun('node -e', result));
    // THEN neither cdktf nor constructs was loaded
    expect(JSON.parse(result.stdout)).toEqual([]);
  });

  test('the k8s entry point alone asks for cdk8s', async () => {
    // WHEN the project loads the Kubernetes entry point it did not install the peers for
    const result = await run(process.execPath, ['-e', `require(${JSON.stringify(`${NAME}/k8s`)})`], terraformOnly);
    // THEN Node names the missing peer
    expect(result.status).not.toBe(0);
    expect(result.stderr).toMatch(/Cannot find module 'cdk8s(-plus-27)?'/);
  });
});

/** Compiles a project's src/main.ts and runs it with `args`; returns the objects of its one chart. */
async function compileAndSynth(project: string, args: readonly string[]): Promise<any[]> {
  const compiled = await tsc(project, 'tsconfig.json');
  if (compiled.status !== 0) throw new Error(describeRun('tsc', compiled));
  const result = await run(process.execPath, [path.join('dist', 'main.js'), 'out', ...args], project);
  if (result.status !== 0) throw new Error(describeRun('node dist/main.js', result));
  return parseAllDocuments(fs.readFileSync(path.join(project, 'out', 'orders.k8s.yaml'), 'utf8')).map((d) => d.toJS());
}

const TOKEN_MOUNT = { mountPath: '/var/run/secrets/tokens', name: 'sa-token', readOnly: true };

describe('an L1-only consumer (cdk8s, no cdk8s-plus)', () => {
  test('has no cdk8s-plus of any line', () => {
    // GIVEN a project that installed the tarball with cdk8s and constructs only
    // THEN npm installed no cdk8s-plus (they are optional peers)
    expect(fs.readdirSync(path.join(l1Only, 'node_modules')).filter((n) => n.startsWith('cdk8s-plus'))).toEqual([]);
  });

  test('binds an L1 Deployment and a vendored CronJob in one call each, and leaves the rest alone', async () => {
    // WHEN it compiles (strict, node16) and runs its app
    const objects = await compileAndSynth(l1Only, ['vendored.yaml']);
    // THEN the Deployment (and its native sidecar) and the CronJob run as "orders" with the token mounted
    const api = objects.find((o) => o.kind === 'Deployment' && o.metadata.name === 'api').spec.template.spec;
    expect(api.serviceAccountName).toBe('orders');
    expect([...api.containers, ...api.initContainers].map((c: any) => c.volumeMounts)).toEqual([[TOKEN_MOUNT], [TOKEN_MOUNT]]);
    const report = objects.find((o) => o.kind === 'CronJob').spec.jobTemplate.spec.template.spec;
    expect(report.serviceAccountName).toBe('orders');
    expect(report.containers[0].env).toContainEqual({ name: 'SECRETS_MANAGER_AUTH_TYPE', value: 'container' });
    // AND the vendored Deployment nobody selected is as it was
    const dashboard = objects.find((o) => o.kind === 'Deployment' && o.metadata.name === 'dashboard').spec.template.spec;
    expect(dashboard.volumes).toBeUndefined();
    expect(dashboard.serviceAccountName).toBeUndefined();
  });

  test('loads the k8s entry point, and a cdk8s-plus-27 construct says what is missing', async () => {
    // WHEN the project loads the k8s entry point and constructs a WorkloadIdentityDeployment
    const script = `const k = require(${JSON.stringify(`${NAME}/k8s`)}); try { new k.WorkloadIdentityDeployment(); } catch (e) { console.log(e.message); }`;
    const result = await run(process.execPath, ['-e', script], l1Only);
    // THEN the entry point loads, and the error names the missing peer and the alternative
    if (result.status !== 0) throw new Error(describeRun('node -e', result));
    expect(result.stdout).toContain('WorkloadIdentityDeployment is built on cdk8s-plus-27, which is not installed; run "npm install cdk8s-plus-27", or give your own objects');
  });

  test('an ES module imports the binding and the cdk8s-plus-27 constructs by name', async () => {
    // WHEN a .mjs file imports named exports from the k8s entry point
    fs.writeFileSync(path.join(l1Only, 'esm.mjs'), `import { WorkloadIdentityBinding, ExternalSecretsOperator, TokenFetchJob } from ${JSON.stringify(`${NAME}/k8s`)};\nconsole.log([typeof WorkloadIdentityBinding, typeof ExternalSecretsOperator, typeof TokenFetchJob].join(' '));\n`);
    const result = await run(process.execPath, ['esm.mjs'], l1Only);
    // THEN all are there
    if (result.status !== 0) throw new Error(describeRun('node esm.mjs', result));
    expect(result.stdout.trim()).toBe('function function function');
  });
});

describe('a cdk8s-plus-33 consumer (no cdk8s-plus-27)', () => {
  test('has cdk8s-plus-33 and not cdk8s-plus-27', () => {
    // GIVEN a project that installed the tarball with cdk8s, cdk8s-plus-33 and constructs
    expect(fs.existsSync(path.join(plus33, 'node_modules', 'cdk8s-plus-33', 'package.json'))).toBe(true);
    expect(fs.existsSync(path.join(plus33, 'node_modules', 'cdk8s-plus-27'))).toBe(false);
  });

  test('binds a cdk8s-plus-33 Deployment with a native sidecar', async () => {
    // WHEN it compiles and runs its app
    const objects = await compileAndSynth(plus33, []);
    // THEN the Deployment's pods run as "orders", with the token in the container and the sidecar
    const pod = objects.find((o) => o.kind === 'Deployment').spec.template.spec;
    expect(pod.serviceAccountName).toBe('orders');
    expect(pod.volumes).toContainEqual({ name: 'sa-token', projected: { sources: [{ serviceAccountToken: { audience: 'iam', expirationSeconds: 3600, path: 'sa-token' } }] } });
    expect(pod.containers[0].volumeMounts).toContainEqual(TOKEN_MOUNT);
    expect(pod.initContainers[0]).toEqual(expect.objectContaining({ name: 'proxy', restartPolicy: 'Always' }));
    expect(pod.initContainers[0].volumeMounts).toContainEqual(TOKEN_MOUNT);
  });
});

describe('a CDK Terrain consumer (cdktn, no cdktf)', () => {
  /**
   * A stack file with what may differ between the two projects masked: the engine's version in
   * the `//` comment, the project's folder in the local backend's path, and the spacing of an
   * empty object (cdktf 0.21 writes `{` and `}` on two lines, cdktn `{}`; the same JSON).
   */
  const stackFile = (project: string, stack: string) =>
    fs.readFileSync(path.join(project, 'cdktf.out', 'stacks', stack, 'cdk.tf.json'), 'utf8')
      .replace(/^( {6}"version": )"[^"]+"$/m, '$1"<engine>"')
      .split(JSON.stringify(project).slice(1, -1)).join('<project>')
      .replace(/\{\n\s*\}/g, '{}');

  beforeAll(async () => {
    // GIVEN the app compiled under strict node16 and run with node, as a program calling app.synth()
    const compiled = await tsc(cdktnOnly, 'tsconfig.json');
    if (compiled.status !== 0) throw new Error(describeRun('tsc', compiled));
    const result = await run(process.execPath, [path.join('dist', 'main.js')], cdktnOnly);
    if (result.status !== 0) throw new Error(describeRun('node dist/main.js', result));
  });

  test('has cdktn and no cdktf or cdk8s', () => {
    // GIVEN the project's installed packages
    // THEN npm installed the engine the project asked for, and none of the other optional peers
    expect(fs.existsSync(path.join(cdktnOnly, 'node_modules', 'cdktn', 'package.json'))).toBe(true);
    for (const name of ['cdktf', 'cdk8s', 'cdk8s-plus-27']) expect(fs.existsSync(path.join(cdktnOnly, 'node_modules', name))).toBe(false);
  });

  test('compiles with classic module resolution too', async () => {
    // WHEN the app compiles with moduleResolution node (no `exports`)
    const result = await tsc(cdktnOnly, 'tsconfig.node.json');
    // THEN `iks-workload-identity/cdktn` resolves with its types
    if (result.status !== 0) throw new Error(describeRun('tsc -p tsconfig.node.json', result));
  });

  test('writes the stack a cdktf project writes for the same app, byte for byte', async () => {
    // GIVEN the Terraform-only cdktf project (same identity, same stack) has synthesized its app
    if (!fs.existsSync(path.join(terraformOnly, 'cdktf.out', 'stacks', 'reports-job', 'cdk.tf.json'))) {
      const compiled = await tsc(terraformOnly, 'tsconfig.json');
      if (compiled.status !== 0) throw new Error(describeRun('tsc', compiled));
      const result = await run(process.execPath, [path.join('dist', 'main.js')], terraformOnly);
      if (result.status !== 0) throw new Error(describeRun('node dist/main.js', result));
    }

    // WHEN the two stack files are compared
    const onCdktn = stackFile(cdktnOnly, 'reports-job');

    // THEN they are the same bytes but for the masked parts: same addresses, same state
    expect(onCdktn).toBe(stackFile(terraformOnly, 'reports-job'));
    expect(onCdktn).toContain('"path": "<project>/terraform.reports-job.tfstate"');
    expect(JSON.parse(onCdktn)['//'].metadata.version).toBe('<engine>');
  });

  test('writes the module with no provider block and no backend', () => {
    // WHEN the module stack is read
    const module = JSON.parse(stackFile(cdktnOnly, 'workload-identities'));
    // THEN it holds the requirement and the outputs, and leaves provider and state to its caller
    expect(module.provider).toBeUndefined();
    expect(module.terraform).toEqual({ required_providers: { ibm: { source: 'IBM-Cloud/ibm', version: '2.5.0' } } });
    expect(Object.keys(module.output).sort()).toEqual(['reports_job_profile_crn', 'reports_job_profile_iam_id', 'reports_job_profile_id']);
  });

  test('the cdktf entry point alone asks for cdktf', async () => {
    // WHEN the project loads the entry point for the engine it did not install
    const result = await run(process.execPath, ['-e', `require(${JSON.stringify(`${NAME}/terraform`)})`], cdktnOnly);
    // THEN Node names the missing peer
    expect(result.status).not.toBe(0);
    expect(result.stderr).toMatch(/Cannot find module 'cdktf'/);
  });
});
