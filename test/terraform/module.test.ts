// WorkloadIdentityModule: the Terraform output as a module for a plain HCL root. Runs on both
// engines (jest.config.js). No terraform binary is available where these tests run, so the
// module is held to Terraform's rules for a called module as written down by HashiCorp, and to
// this repository's own Terraform reader (src/decode/terraform.ts, which `check` uses):
// - "A module intended to be called by one or more other modules must not contain any provider
//   blocks" (hashicorp/terraform website/docs/language/modules/develop/providers.mdx, v1.x);
//   each module still declares its provider requirements in `terraform.required_providers`.
// - A backend applies to the root module only: a child's state is the root's.
// - JSON configuration syntax (website/docs/language/syntax/json.mdx): the top-level object holds
//   block types only; a `//` property is a comment. Output names are identifiers: a letter or
//   `_`, then letters, digits, `_` and `-` (hclsyntax.ValidIdentifier).
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, LocalBackend, TerraformOutput, TerraformStack } from 'cdktf';
import { main } from '../../src/cli/main';
import { decodeTerraformFile, readTerraformDir } from '../../src/decode/terraform';
import { ibm, WorkloadIdentityModule, WorkloadIdentityProfile } from '../../src/terraform';
import { identity, LOOKED_UP, READ_SECRETS } from './fixtures';

type Json = Record<string, any>;

const TOP_LEVEL_BLOCKS = ['//', 'check', 'data', 'import', 'locals', 'module', 'moved', 'output', 'provider', 'removed', 'resource', 'terraform', 'variable'];
const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_-]*$/;
const FIXTURE = path.join(__dirname, 'module-fixture');

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));
function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'iks-wi-module-'));
  dirs.push(dir);
  return dir;
}

const payments = () => identity({ policies: [READ_SECRETS] });
const orders = () => identity({ name: 'orders', serviceAccount: { namespace: 'orders' }, clusters: [LOOKED_UP], policies: [READ_SECRETS] });

/** Synthesizes `build`'s app as `cdktf synth` (or a program's `app.synth()`) does; returns each stack's JSON. */
function synthApp(build: (app: App) => void): Record<string, Json> {
  const outdir = tempDir();
  const app = new App({ outdir });
  build(app);
  app.synth();
  const stacks = path.join(outdir, 'stacks');
  return Object.fromEntries(fs.readdirSync(stacks).map((name) => [name, JSON.parse(fs.readFileSync(path.join(stacks, name, 'cdk.tf.json'), 'utf8'))]));
}

function moduleJson(): Json {
  return synthApp((app) => new WorkloadIdentityModule(app, 'workload-identities', { identities: [payments(), orders()] }))['workload-identities'];
}

describe('WorkloadIdentityModule output', () => {
  test('has no provider block and no backend', () => {
    // GIVEN a module with two identities, synthesized by App.synth (which gives a plain stack a local backend)
    // WHEN its JSON is read
    const json = moduleJson();

    // THEN the calling root configures both
    expect(json).not.toHaveProperty('provider');
    expect(json.terraform).not.toHaveProperty('backend');
    expect(json.terraform).not.toHaveProperty('cloud');
  });

  test('keeps required_providers exactly as a stack with a configured IBM provider writes it', () => {
    // GIVEN the module and a plain stack configuring ibm.provider.IbmProvider, in one app
    const stacks = synthApp((app) => {
      new WorkloadIdentityModule(app, 'module', { identities: [payments()] });
      const plain = new TerraformStack(app, 'plain');
      new ibm.provider.IbmProvider(plain, 'ibm', { region: 'us-south' });
      new WorkloadIdentityProfile(plain, 'payments-api', { identity: payments() });
    });

    // WHEN their requirements are compared
    // THEN they name the same source and version, so terraform init installs what the resources were written for
    expect(stacks.module.terraform).toEqual({ required_providers: { ibm: { source: 'IBM-Cloud/ibm', version: '2.5.0' } } });
    expect(stacks.module.terraform.required_providers).toEqual(stacks.plain.terraform.required_providers);
    expect(stacks.plain.terraform.backend).toEqual({ local: expect.any(Object) });
  });

  test('holds only block types Terraform accepts at the top level of a JSON file', () => {
    // GIVEN the module's JSON
    const json = moduleJson();

    // WHEN its top-level properties are listed
    // THEN each is a block type (or the `//` comment)
    expect(Object.keys(json).filter((key) => !TOP_LEVEL_BLOCKS.includes(key))).toEqual([]);
  });

  test('outputs each identity\'s profile ID, IAM ID and CRN under valid names', () => {
    // GIVEN the module of payments-api and orders
    const json = moduleJson();

    // WHEN its outputs are read
    const outputs: Record<string, Json> = json.output;

    // THEN there are three per identity, named as identifiers, each reading its profile
    expect(Object.keys(outputs).sort()).toEqual([
      'orders_profile_crn', 'orders_profile_iam_id', 'orders_profile_id',
      'payments_api_profile_crn', 'payments_api_profile_iam_id', 'payments_api_profile_id',
    ]);
    for (const name of Object.keys(outputs)) expect(name).toMatch(IDENTIFIER);
    const profiles = Object.keys(json.resource.ibm_iam_trusted_profile);
    const orders = profiles.find((p) => p.startsWith('orders_'));
    expect(outputs.orders_profile_id.value).toBe(`\${ibm_iam_trusted_profile.${orders}.id}`);
    expect(outputs.orders_profile_iam_id.value).toBe(`\${ibm_iam_trusted_profile.${orders}.iam_id}`);
    expect(outputs.orders_profile_crn.value).toBe(`\${ibm_iam_trusted_profile.${orders}.crn}`);
  });

  test('keeps the resources and data sources of a stack, at the same addresses', () => {
    // GIVEN one identity as a module and as a plain stack
    const stacks = synthApp((app) => {
      new WorkloadIdentityModule(app, 'module', { identities: [orders()] });
      const plain = new TerraformStack(app, 'plain');
      new ibm.provider.IbmProvider(plain, 'ibm', {});
      new WorkloadIdentityProfile(plain, 'orders', { identity: orders() });
    });

    // WHEN their resources and data sources are compared, without the `//` comments (which name the stack)
    const bare = (value: unknown): unknown => JSON.parse(JSON.stringify(value, (key, v) => (key === '//' ? undefined : v)));

    // THEN they are identical: moving from a stack to a module changes no address below the module
    expect(bare(stacks.module.resource)).toEqual(bare(stacks.plain.resource));
    expect(bare(stacks.module.data)).toEqual(bare(stacks.plain.data));
    expect(Object.keys(stacks.module.data)).toEqual(['ibm_container_vpc_cluster']);
  });

  test('takes profiles added after construction', () => {
    // GIVEN an empty module and a profile added to it the usual way
    const json = synthApp((app) => {
      const module = new WorkloadIdentityModule(app, 'module');
      new WorkloadIdentityProfile(module, 'payments-api', { identity: payments() });
    }).module;

    // WHEN it is read
    // THEN the profile and its outputs are there
    expect(Object.keys(json.resource.ibm_iam_trusted_profile)).toHaveLength(1);
    expect(Object.keys(json.output)).toContain('payments_api_profile_id');
  });
});

describe('WorkloadIdentityModule, as the docs promise', () => {
  test('takes a version range for the IBM provider through an override', () => {
    // GIVEN a module whose app widens the pinned provider version (docs/terraform-module.md)
    const json = synthApp((app) => {
      const module = new WorkloadIdentityModule(app, 'module', { identities: [payments()] });
      module.addOverride('terraform.required_providers.ibm.version', '>= 2.5.0, < 3.0.0');
    }).module;

    // WHEN its requirement is read
    // THEN the range replaces the pin and the source stays
    expect(json.terraform.required_providers.ibm).toEqual({ source: 'IBM-Cloud/ibm', version: '>= 2.5.0, < 3.0.0' });
  });

  test('synthesized as HCL (`synth --hcl`), has no provider block and no backend', async () => {
    // GIVEN HCL output asked for as the CLI asks for it
    const outdir = tempDir();
    const previous = process.env.SYNTH_HCL_OUTPUT;
    process.env.SYNTH_HCL_OUTPUT = 'true';
    try {
      const app = new App({ outdir });
      new WorkloadIdentityModule(app, 'module', { identities: [payments()] });
      app.synth();
    } finally {
      if (previous === undefined) delete process.env.SYNTH_HCL_OUTPUT;
      else process.env.SYNTH_HCL_OUTPUT = previous;
    }

    // WHEN the written cdk.tf is parsed as HCL
    const hcl = await decodeTerraformFile('cdk.tf', fs.readFileSync(path.join(outdir, 'stacks', 'module', 'cdk.tf')));

    // THEN it requires the provider, configures none, keeps no backend and has the outputs
    expect(hcl).not.toHaveProperty('provider');
    expect(JSON.stringify(hcl.terraform)).not.toMatch(/backend|cloud/);
    expect(JSON.stringify(hcl.terraform)).toContain('IBM-Cloud/ibm');
    expect(Object.keys(hcl.output as Json).sort()).toEqual(['payments_api_profile_crn', 'payments_api_profile_iam_id', 'payments_api_profile_id']);
  });
});

describe('WorkloadIdentityModule refuses', () => {
  test('a provider configured inside it, naming the provider and the fix', () => {
    // GIVEN a module holding a configured IBM provider
    const build = (app: App) => {
      const module = new WorkloadIdentityModule(app, 'module', { identities: [payments()] });
      new ibm.provider.IbmProvider(module, 'ibm', { region: 'us-south' });
    };

    // WHEN it is synthesized
    // THEN synthesis fails before anything is written
    expect(() => synthApp(build)).toThrow(/module\/ibm configures a provider; .*configure provider "ibm" in the HCL root/);
  });

  test('a backend, naming where state lives instead', () => {
    // GIVEN a module with a local backend
    const build = (app: App) => {
      const module = new WorkloadIdentityModule(app, 'module', { identities: [payments()] });
      new LocalBackend(module, { path: 'module.tfstate' });
    };

    // WHEN it is synthesized
    // THEN synthesis fails with the reason
    expect(() => synthApp(build)).toThrow(/module\/backend is a backend; a module's state lives in the backend of the root/);
  });

  test('an identity listed twice, naming it', () => {
    // GIVEN the same identity twice in props.identities
    // WHEN the module is constructed
    // THEN it refuses, naming the identity and the fix, before any construct clashes
    expect(() => new WorkloadIdentityModule(new App({ outdir: tempDir() }), 'module', { identities: [payments(), payments()] }))
      .toThrow('WorkloadIdentityModule module: props.identities holds two identities named "payments-api" (at 1 and before); identity and trusted profile names are unique in an account, so list each identity once');
  });

  test('a plain object in place of an identity, with how to build one', () => {
    // GIVEN an object shaped like an identity, not built by new WorkloadIdentity
    const plain = { name: 'payments-api', serviceAccount: { namespace: 'payments' } } as never;

    // WHEN the module is constructed THEN the profile refuses it, saying how to build it
    expect(() => new WorkloadIdentityModule(new App({ outdir: tempDir() }), 'module', { identities: [plain] }))
      .toThrow(/module\/identities\[0\]: props.identity must be a WorkloadIdentity; build it with new WorkloadIdentity/);
  });

  test('a reference from another stack to its values', () => {
    // GIVEN a plain stack that outputs a profile ID of the module
    const build = (app: App) => {
      const module = new WorkloadIdentityModule(app, 'module');
      const profile = new WorkloadIdentityProfile(module, 'payments-api', { identity: payments() });
      const other = new TerraformStack(app, 'other');
      new ibm.provider.IbmProvider(other, 'ibm', {});
      new TerraformOutput(other, 'copied', { value: profile.profileId });
    };

    // WHEN the app is synthesized
    // THEN it fails, saying to pass the value through the HCL root
    expect(() => synthApp(build)).toThrow(/a module has no state of its own, so pass the value through the HCL root/);
  });
});

describe('an HCL root calling the module', () => {
  function rootWithModule(): string {
    const root = tempDir();
    fs.copyFileSync(path.join(FIXTURE, 'main.tf'), path.join(root, 'main.tf'));
    const generated = path.join(root, 'generated', 'workload-identities');
    fs.mkdirSync(generated, { recursive: true });
    fs.writeFileSync(path.join(generated, 'cdk.tf.json'), `${JSON.stringify(moduleJson(), null, 2)}\n`);
    return root;
  }

  test('parses, and each module output it reads exists in the module', async () => {
    // GIVEN test/terraform/module-fixture/main.tf beside the synthesized module
    const root = rootWithModule();

    // WHEN the root is parsed as HCL and its module's source is followed
    const main = await decodeTerraformFile('main.tf', fs.readFileSync(path.join(root, 'main.tf')));
    const calls = Object.entries(main.module as Record<string, Json[]>);
    expect(calls).toHaveLength(1);
    const [name, [call]] = calls[0];
    const source = path.join(root, call.source);
    const module = JSON.parse(fs.readFileSync(path.join(source, 'cdk.tf.json'), 'utf8'));

    // THEN the root configures the provider, and every module.<name>.<output> it reads is an output of the module
    expect(name).toBe('workload_identities');
    expect(Object.keys(main.provider as Json)).toEqual(['ibm']);
    const reads = [...JSON.stringify(main.output).matchAll(/module\.workload_identities\.([A-Za-z0-9_-]+)/g)].map((m) => m[1]);
    expect(reads.sort()).toEqual(['payments_api_profile_crn', 'payments_api_profile_id']);
    for (const output of reads) expect(module.output).toHaveProperty(output);
  });

  test('is read as two modules by the reader `check` uses', async () => {
    // GIVEN the root and the module in their folders
    const root = rootWithModule();

    // WHEN the folder is read as Terraform loads modules
    const modules = await readTerraformDir(root, { maxFileSize: 1 << 20 });

    // THEN the root holds no resources and the module holds the profiles
    expect(modules.map((m) => path.relative(root, m.file)).sort()).toEqual(['', path.join('generated', 'workload-identities')]);
    const module = modules.find((m) => m.file !== root)!;
    expect(Object.keys(module.config.resource.ibm_iam_trusted_profile)).toHaveLength(2);
  });

  test('passes `iks-workload-identity check`', async () => {
    // GIVEN the root and the module
    const root = rootWithModule();
    const out: string[] = [];
    const err: string[] = [];

    // WHEN check reads the folder as its Terraform input
    const status = await main(['check', '--no-k8s', '--terraform', root], (l) => { out.push(l); return true; }, (l) => { err.push(l); return true; });

    // THEN it finds no error in the module's resources
    expect(err).toEqual([]);
    expect(status).toBe(0);
  });
});
