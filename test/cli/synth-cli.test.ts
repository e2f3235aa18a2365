// End to end through the CLIs a user runs: `cdk8s synth` and `cdktf synth` on small apps that
// use the compiled library (`npm test` builds it first), in a scratch directory.
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const ROOT = path.resolve(__dirname, '..', '..');
const LIB = path.join(ROOT, 'lib');
const CDK8S = path.join(ROOT, 'node_modules', '.bin', 'cdk8s');
const CDKTF_SYNTH = path.join(ROOT, 'scripts', 'cdktf-synth.js');

jest.setTimeout(120_000);

const CRN = 'crn:v1:bluemix:public:containers-kubernetes:us-south:a/0123456789abcdef0123456789abcdef:c0ffee00cluster01::';

function declaration(token: string): string {
  return `
const { WorkloadIdentity, ClusterKind } = require(${JSON.stringify(LIB)});
exports.identity = new WorkloadIdentity({
  name: 'payments-api',
  serviceAccount: { namespace: 'payments' },
  clusters: [{ kind: ClusterKind.IKS, crn: ${JSON.stringify(CRN)} }],
  token: ${token},
});`;
}

const K8S_APP = `
const { App, Chart } = require('cdk8s');
const { WorkloadIdentityServiceAccount, WorkloadIdentityDeployment } = require(${JSON.stringify(path.join(LIB, 'k8s'))});
const { identity } = require('./identity');
const app = new App();
const chart = new Chart(app, 'payments-api');
new WorkloadIdentityServiceAccount(chart, 'sa', { identity });
new WorkloadIdentityDeployment(chart, 'web', { identity, containers: [{ image: 'nginx:1.27' }] });
app.synth();`;

const TF_APP = `
const { App, TerraformStack } = require('cdktf');
const { WorkloadIdentityProfile, ibm } = require(${JSON.stringify(path.join(LIB, 'terraform'))});
const { identity } = require('./identity');
const app = new App();
const stack = new TerraformStack(app, 'payments-api');
new ibm.provider.IbmProvider(stack, 'ibm', { region: 'us-south' });
new WorkloadIdentityProfile(stack, 'payments-api', { identity });
app.synth();`;

const scratchDirs: string[] = [];

function scratch(token: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'iks-wi-cli-'));
  scratchDirs.push(dir);
  fs.writeFileSync(path.join(dir, 'identity.js'), declaration(token));
  fs.writeFileSync(path.join(dir, 'k8s.js'), K8S_APP);
  fs.writeFileSync(path.join(dir, 'tf.js'), TF_APP);
  // The apps resolve cdk8s/cdktf from the project, as a platform repo resolves its own.
  fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(dir, 'node_modules'));
  const cdktfJson = JSON.parse(fs.readFileSync(path.join(ROOT, 'cdktf.json'), 'utf8'));
  cdktfJson.app = 'node tf.js';
  // Bindings are compiled into lib/; the CLI only checks that this folder exists.
  cdktfJson.codeMakerOutput = path.relative(dir, path.join(ROOT, cdktfJson.codeMakerOutput));
  fs.writeFileSync(path.join(dir, 'cdktf.json'), JSON.stringify(cdktfJson));
  return dir;
}

afterAll(() => {
  for (const dir of scratchDirs) fs.rmSync(dir, { recursive: true, force: true });
});

function run(cmd: string, args: string[], cwd: string) {
  return spawnSync(cmd, args, { cwd, encoding: 'utf8', env: { ...process.env, CI: '1' } });
}

function filesUnder(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => path.join(e.parentPath ?? (e as any).path, e.name));
}

describe('cdk8s synth', () => {
  test('writes the manifests of a valid declaration to the output folder', () => {
    // GIVEN a valid declaration and a cdk8s app using it
    const dir = scratch('{ expirationSeconds: 1800 }');
    // WHEN the user runs cdk8s synth
    const result = run(CDK8S, ['synth', '--no-check-upgrade', '--app', 'node k8s.js', '--output', 'dist'], dir);
    // THEN it succeeds and writes one manifest file with the token volume
    expect(result.status).toBe(0);
    const files = filesUnder(path.join(dir, 'dist'));
    expect(files.map((f) => path.basename(f))).toEqual(['payments-api.k8s.yaml']);
    expect(fs.readFileSync(files[0], 'utf8')).toContain('expirationSeconds: 1800');
  });

  test('fails on a bad declaration with the field named and writes nothing to the output folder', () => {
    // GIVEN a declaration whose token lives longer than IAM accepts
    const dir = scratch('{ expirationSeconds: 7200 }');
    // WHEN the user runs cdk8s synth
    const result = run(CDK8S, ['synth', '--no-check-upgrade', '--app', 'node k8s.js', '--output', 'dist'], dir);
    // THEN it fails, names the identity, field and value, and leaves no manifest behind
    expect(result.status).not.toBe(0);
    expect(result.stderr + result.stdout).toContain('WorkloadIdentity "payments-api": token.expirationSeconds is 7200');
    expect(filesUnder(path.join(dir, 'dist'))).toEqual([]);
  });
});

describe('cdktf synth', () => {
  test('writes the stack of a valid declaration without a Terraform binary', () => {
    // GIVEN a valid declaration and a cdktf app using it
    const dir = scratch('{}');
    // WHEN the user runs cdktf synth (the wrapper hides any Terraform binary from the CLI)
    const result = run(process.execPath, [CDKTF_SYNTH, '--output', 'cdktf.out'], dir);
    // THEN it succeeds and writes the stack's JSON with the profile
    expect(result.status).toBe(0);
    const stack = JSON.parse(fs.readFileSync(path.join(dir, 'cdktf.out', 'stacks', 'payments-api', 'cdk.tf.json'), 'utf8'));
    expect(Object.values(stack.resource.ibm_iam_trusted_profile)).toEqual([
      expect.objectContaining({ name: 'payments-api' }),
    ]);
  });

  test('fails on a bad declaration with the field named and writes no stack', () => {
    // GIVEN a declaration whose token lives shorter than Kubernetes accepts
    const dir = scratch('{ expirationSeconds: 60 }');
    // WHEN the user runs cdktf synth
    const result = run(process.execPath, [CDKTF_SYNTH, '--output', 'cdktf.out'], dir);
    // THEN it fails, names the field, and no stack JSON exists
    expect(result.status).not.toBe(0);
    expect(result.stderr + result.stdout).toContain('token.expirationSeconds is 60');
    expect(filesUnder(path.join(dir, 'cdktf.out')).filter((f) => f.endsWith('cdk.tf.json'))).toEqual([]);
  });
});

describe('npm run synth (build/examples/synth.js)', () => {
  /** Every file under `dir` with its contents, by relative path. */
  const contents = (dir: string) => Object.fromEntries(filesUnder(dir).map((f) => [path.relative(dir, f), fs.readFileSync(f, 'utf8')]));

  test('writes, byte for byte, the files cdk8s synth and cdktf synth write from cdk8s.yaml and cdktf.json', () => {
    // GIVEN one scratch folder for the CLIs' outputs and one for the example's synth program
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'iks-wi-synth-'));
    scratchDirs.push(dir);
    // WHEN both CLIs run the example apps as their config files say, and so does synth.js
    const k8s = run(CDK8S, ['synth', '--no-check-upgrade', '--output', path.join(dir, 'cli', 'dist')], ROOT);
    const tf = run(process.execPath, [CDKTF_SYNTH, '--output', path.join(dir, 'cli', 'cdktf.out')], ROOT);
    const ours = spawnSync(process.execPath, [path.join(ROOT, 'build', 'examples', 'synth.js')], {
      cwd: ROOT, encoding: 'utf8', env: { ...process.env, CDK8S_OUTDIR: path.join(dir, 'ours', 'dist'), CDKTF_OUTDIR: path.join(dir, 'ours', 'cdktf.out') },
    });
    // THEN all succeed, and the two output folders hold the same files with the same bytes
    expect([k8s.status, tf.status, ours.status, ours.stderr]).toEqual([0, 0, 0, '']);
    expect(contents(path.join(dir, 'ours', 'dist'))).toEqual(contents(path.join(dir, 'cli', 'dist')));
    expect(contents(path.join(dir, 'ours', 'cdktf.out'))).toEqual(contents(path.join(dir, 'cli', 'cdktf.out')));
    expect(Object.keys(contents(path.join(dir, 'ours', 'cdktf.out')))).toContain(path.join('stacks', 'payments-api', 'cdk.tf.json'));
    expect(fs.readdirSync(path.join(dir, 'ours')).sort()).toEqual(['cdktf.out', 'dist']);
  });
});
