// `iks-workload-identity synth` as a user runs it: the compiled bin (`npm test` builds lib/
// first) in a scratch folder holding only a declarations file.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { spawnSync } from 'child_process';
import { check, expectNoStackTrace, ROOT, scratch } from './check-support';

jest.setTimeout(120_000);

const CRN = 'crn:v1:bluemix:public:containers-kubernetes:us-south:a/0123456789abcdef0123456789abcdef:cq5l0v8d0h4b7f3kq2pg::';
const STACK_FILE = path.join('cdktf.out', 'stacks', 'workload-identities', 'cdk.tf.json');

function entry(name: string, namespace: string, extra = ''): string {
  return `  - name: ${name}
    serviceAccount: { namespace: ${namespace} }
    clusters: [{ kind: IKS, crn: "${CRN}" }]
    workload: { image: "icr.io/${namespace}/${name}:1.0.0", port: 8080 }
${extra}`;
}

const TWO_NAMESPACES = `identities:\n${entry('payments-api', 'payments')}${entry('orders-api', 'orders')}`;

/** Runs the bin with CI set, as in a pipeline: no progress lines. */
function synth(args: string[], cwd: string) {
  return check(['synth', ...args], cwd);
}

/** Every file under `dir`, by relative path, with its bytes. */
function tree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string, prefix: string) => {
    if (!fs.existsSync(d)) return;
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      if (e.isDirectory()) walk(path.join(d, e.name), `${prefix}${e.name}/`);
      else out[`${prefix}${e.name}`] = fs.readFileSync(path.join(d, e.name), 'latin1');
    }
  };
  walk(dir, '');
  return out;
}

describe('synth writes both sides of a declarations file', () => {
  test('a folder with only identities.yaml gets a manifest per namespace and one Terraform stack', () => {
    // GIVEN a folder holding only a declarations file with two namespaces
    const dir = scratch({ 'identities.yaml': TWO_NAMESPACES });
    // WHEN synth runs with every default
    const r = synth([], dir);
    // THEN it exits 0 and writes dist/<namespace>.k8s.yaml and the stack's JSON
    expectNoStackTrace(r);
    expect(r.status).toBe(0);
    expect(Object.keys(tree(path.join(dir, 'dist'))).sort()).toEqual(['orders.k8s.yaml', 'payments.k8s.yaml']);
    const stack = JSON.parse(fs.readFileSync(path.join(dir, STACK_FILE), 'utf8'));
    expect(Object.keys(stack.resource.ibm_iam_trusted_profile)).toHaveLength(2);
    expect(stack.provider.ibm).toBeDefined();
    // AND the state lives in the stack's folder, not at a path naming this machine's folder
    expect(stack.terraform.backend).toEqual({ local: { path: 'terraform.tfstate' } });
  });

  test('the written outputs pass iks-workload-identity check', () => {
    // GIVEN the platform example's declarations file, synthesized
    const dir = scratch({ 'identities.yaml': fs.readFileSync(path.join(ROOT, 'examples', 'platform', 'identities.yaml'), 'utf8') });
    expect(synth([], dir).status).toBe(0);
    // WHEN check runs over both default folders
    const r = check(['check'], dir);
    // THEN it finds no error and read both sides
    expect(r.status).toBe(0);
    expect(r.lines[r.lines.length - 1]).toMatch(/^0 error\(s\), .* in [1-9]\d* Kubernetes objects, 1 Terraform modules$/);
  });

  test('two runs over one file write byte-identical folders', () => {
    // GIVEN one declarations file in two folders
    const a = scratch({ 'identities.yaml': TWO_NAMESPACES });
    const b = scratch({ 'identities.yaml': TWO_NAMESPACES });
    // WHEN synth runs in each
    expect(synth([], a).status).toBe(0);
    expect(synth([], b).status).toBe(0);
    // THEN every file is the same, byte for byte
    expect(tree(b)).toEqual(tree(a));
  });

  test('the output folders and stack name follow the flags', () => {
    // GIVEN a declarations file under a folder of its own
    const dir = scratch({ 'platform/ids.json': JSON.stringify({ identities: [{ name: 'payments-api', serviceAccount: { namespace: 'payments' }, clusters: [{ kind: 'IKS', crn: CRN }], workload: { image: 'icr.io/p/a:1.0.0' } }] }) });
    // WHEN synth runs with a JSON file and every output flag
    const r = synth(['platform/ids.json', '--k8s-out', 'out/k8s', '--terraform-out', 'out/tf', '--stack', 'iam'], dir);
    // THEN the outputs are where the flags say
    expect(r.status).toBe(0);
    expect(fs.existsSync(path.join(dir, 'out/k8s/payments.k8s.yaml'))).toBe(true);
    expect(fs.existsSync(path.join(dir, 'out/tf/stacks/iam/cdk.tf.json'))).toBe(true);
    expect(fs.existsSync(path.join(dir, 'dist'))).toBe(false);
  });

  test('--no-k8s writes only the Terraform side, and entries need no workload', () => {
    // GIVEN an entry without a workload block
    const dir = scratch({ 'identities.yaml': `identities:\n  - { name: payments-api, serviceAccount: { namespace: payments }, clusters: [{ kind: IKS, crn: "${CRN}" }] }\n` });
    // WHEN synth runs with --no-k8s
    const r = synth(['--no-k8s'], dir);
    // THEN only cdktf.out is written
    expect(r.status).toBe(0);
    expect(fs.existsSync(path.join(dir, STACK_FILE))).toBe(true);
    expect(fs.existsSync(path.join(dir, 'dist'))).toBe(false);
  });

  test('--iam-endpoint is the default of entries that set none, not of those that do', () => {
    // GIVEN one entry without an endpoint and one with the public endpoint
    const dir = scratch({ 'identities.yaml': `identities:\n${entry('payments-api', 'payments')}${entry('orders-api', 'orders', '    iamEndpoint: public\n')}` });
    // WHEN synth runs with --iam-endpoint private
    expect(synth(['--iam-endpoint', 'private'], dir).status).toBe(0);
    // THEN the first identity's pods fetch from the private endpoint, the second's from the public one
    expect(fs.readFileSync(path.join(dir, 'dist/payments.k8s.yaml'), 'utf8')).toContain('value: https://private.iam.cloud.ibm.com/identity/token');
    expect(fs.readFileSync(path.join(dir, 'dist/orders.k8s.yaml'), 'utf8')).toContain('value: https://iam.cloud.ibm.com/identity/token');
    expect(fs.readFileSync(path.join(dir, 'dist/orders.k8s.yaml'), 'utf8')).not.toContain('private.iam');
  });
});

test('a file of more identities than render at once (2,000) writes both sides, one after the other', () => {
  // GIVEN 2,010 workloads of 201 teams, each team's attached to its existing trusted profile (one
  // IAM account holds 2,000 profiles, so a platform this large shares them)
  const lines = ['identities:'];
  for (let i = 0; i < 2010; i++) {
    const team = `team-${Math.floor(i / 10)}`;
    const id = `0a1b2c3d-4e5f-4a6b-8c7d-${String(Math.floor(i / 10)).padStart(12, '0')}`;
    lines.push(`  - { name: app-${i}, serviceAccount: { namespace: ${team} }, clusters: [{ kind: IKS, crn: "${CRN}" }], existingProfile: { name: ${team}-workloads, id: Profile-${id} }, workload: { image: "icr.io/${team}/app:1.0.0" } }`);
  }
  const dir = scratch({ 'identities.yaml': `${lines.join('\n')}\n` });
  // WHEN synth runs
  const r = check(['synth'], dir, 240_000);
  // THEN it exits 0 with a manifest per team and a trust link per workload
  expect(r.status).toBe(0);
  expect(fs.readdirSync(path.join(dir, 'dist'))).toHaveLength(201);
  const stack = JSON.parse(fs.readFileSync(path.join(dir, STACK_FILE), 'utf8'));
  expect(Object.keys(stack.resource.ibm_iam_trusted_profile_link)).toHaveLength(2010);
}, 300_000);

describe('synth replaces the folders as a whole', () => {
  test('a namespace no longer declared loses its file, and Terraform working files stay', () => {
    // GIVEN a synthesis of two namespaces, and a provider lock file beside the stack
    const dir = scratch({ 'identities.yaml': TWO_NAMESPACES });
    expect(synth([], dir).status).toBe(0);
    const lock = path.join(dir, 'cdktf.out/stacks/workload-identities/.terraform.lock.hcl');
    fs.writeFileSync(lock, '# lock\n');
    // WHEN the orders namespace is removed from the file and synth runs again
    fs.writeFileSync(path.join(dir, 'identities.yaml'), `identities:\n${entry('payments-api', 'payments')}`);
    expect(synth([], dir).status).toBe(0);
    // THEN orders.k8s.yaml is gone, the lock file is still there
    expect(Object.keys(tree(path.join(dir, 'dist')))).toEqual(['payments.k8s.yaml']);
    expect(fs.readFileSync(lock, 'utf8')).toBe('# lock\n');
  });

  test('a file with bad entries exits 1, lists every problem, and leaves both folders untouched', () => {
    // GIVEN earlier outputs, and a file whose two entries each have a problem
    const dir = scratch({ 'identities.yaml': TWO_NAMESPACES });
    expect(synth([], dir).status).toBe(0);
    const before = tree(dir);
    fs.writeFileSync(path.join(dir, 'identities.yaml'), `identities:
  - name: payments-api
    serviceAccount: { namesapce: payments }
    clusters: [{ kind: IKS, crn: "${CRN}" }]
    workload: { image: "icr.io/payments/api:1.0.0" }
  - name: orders-api
    serviceAccount: { namespace: orders }
    clusters: [{ kind: IKS, crn: "${CRN}" }]
    workload: { image: "nginx" }
`);
    // WHEN synth runs
    const r = synth([], dir);
    // THEN it exits 1, naming the file, each entry and each field
    expectNoStackTrace(r);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('identities.yaml: identities[0] ("payments-api"): serviceAccount.namesapce is "payments"; unknown key; did you mean "namespace"?');
    expect(r.stderr).toContain('identities.yaml: identities[1] ("orders-api"): workload.image is "nginx"; pin the image by tag or digest');
    // AND nothing changed but the declarations file
    const after = tree(dir);
    delete before['identities.yaml'];
    delete after['identities.yaml'];
    expect(after).toEqual(before);
  });

  test('an entry without a workload block is refused when the Kubernetes side is made', () => {
    // GIVEN an entry without a workload
    const dir = scratch({ 'identities.yaml': `identities:\n  - { name: payments-api, serviceAccount: { namespace: payments }, clusters: [{ kind: IKS, crn: "${CRN}" }] }\n` });
    // WHEN synth runs with both sides
    const r = synth([], dir);
    // THEN the missing block is named, with an example
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('identities[0] ("payments-api"): workload is missing; required: the Kubernetes side runs the identity\'s workload');
  });

  test('a declaration a rule refuses at synthesis exits 1 and writes nothing', () => {
    // GIVEN an entry granting Administrator on account management
    const dir = scratch({ 'identities.yaml': `identities:\n${entry('payments-api', 'payments', '    policies: [{ name: admin, roles: [Administrator], accountManagement: true }]\n')}` });
    // WHEN synth runs
    const r = synth([], dir);
    // THEN the rule's finding is shown, and neither folder exists
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('IWI-P2');
    expect(r.stderr).not.toContain('skipValidation');
    expect(fs.existsSync(path.join(dir, 'dist'))).toBe(false);
    expect(fs.existsSync(path.join(dir, 'cdktf.out'))).toBe(false);
  });

  test('a refusal after the Kubernetes files were staged leaves the old outputs and nothing beside them', () => {
    // GIVEN outputs of a valid file in place
    const dir = scratch({ 'identities.yaml': `identities:\n${entry('payments-api', 'payments')}` });
    expect(synth([], dir).status).toBe(0);
    const before = tree(dir);
    // WHEN a second entry, in another namespace, grants Administrator on account management
    // (the Kubernetes side renders and stages both namespaces; the Terraform side refuses)
    fs.writeFileSync(path.join(dir, 'identities.yaml'), `identities:\n${entry('payments-api', 'payments')}${entry('orders-api', 'orders', '    policies: [{ name: admin, roles: [Administrator], accountManagement: true }]\n')}`);
    const r = synth([], dir);
    // THEN it exits 1, both folders are as they were, and no staging folder or lock is left
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('nothing was written: both output folders are as they were');
    const after = tree(dir);
    delete before['identities.yaml'];
    delete after['identities.yaml'];
    expect(after).toEqual(before);
    expect(fs.readdirSync(dir).sort()).toEqual(['cdktf.out', 'dist', 'identities.yaml']);
  });
});

describe('synth exits 2 on usage and read errors', () => {
  test('a missing declarations file is a read error naming it', () => {
    // GIVEN an empty folder
    const dir = scratch();
    // WHEN synth runs without a file argument
    const r = synth([], dir);
    // THEN it exits 2 naming identities.yaml
    expect(r.status).toBe(2);
    expect(r.stderr).toBe('iks-workload-identity: cannot read identities.yaml: no such file\n');
  });

  test('a file that is not YAML is a read error with its line and column', () => {
    // GIVEN a file with an unclosed flow mapping
    const dir = scratch({ 'identities.yaml': 'identities:\n  - { name: a\n' });
    // WHEN synth runs
    const r = synth([], dir);
    // THEN it exits 2 with file:line:col
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^iks-workload-identity: cannot read identities\.yaml:\d+:\d+: /);
    expectNoStackTrace(r);
  });

  test('an unknown engine is a usage error that prints the usage', () => {
    // GIVEN a valid file
    const dir = scratch({ 'identities.yaml': TWO_NAMESPACES });
    // WHEN synth runs with --engine pulumi
    const r = synth(['--engine', 'pulumi'], dir);
    // THEN it exits 2, saying the choices
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('--engine is cdktf or cdktn, not "pulumi"');
    expect(r.stderr).toContain('usage: iks-workload-identity synth');
  });

  test('an IAM endpoint that is not public, private or https is a usage error', () => {
    const dir = scratch({ 'identities.yaml': TWO_NAMESPACES });
    // WHEN synth runs with an http:// endpoint
    const r = synth(['--iam-endpoint', 'http://iam.example'], dir);
    // THEN it exits 2 before writing anything
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('--iam-endpoint is public, private or an https:// base URL');
    expect(fs.existsSync(path.join(dir, 'dist'))).toBe(false);
  });

  test('one folder for both sides is a usage error', () => {
    const dir = scratch({ 'identities.yaml': TWO_NAMESPACES });
    // WHEN both outputs name one folder
    const r = synth(['--k8s-out', 'out', '--terraform-out', './out'], dir);
    // THEN it exits 2
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('name one folder');
  });

  test('--engine cdktn writes the same stack through CDK Terrain', () => {
    // GIVEN a valid file, synthesized once on each engine
    const dir = scratch({ 'identities.yaml': TWO_NAMESPACES });
    const onCdktf = synth(['--no-k8s', '--terraform-out', 'tf-cdktf'], dir);
    // WHEN synth runs with --engine cdktn
    const r = synth(['--engine', 'cdktn', '--no-k8s', '--terraform-out', 'tf-cdktn'], dir);
    // THEN it writes a stack with the same resources as cdktf's (the engines' own "//" metadata aside)
    expect(onCdktf.status).toBe(0);
    expect(r.status).toBe(0);
    const resources = (folder: string) => JSON.parse(fs.readFileSync(path.join(dir, folder, 'stacks', 'workload-identities', 'cdk.tf.json'), 'utf8')).resource;
    expect(Object.keys(resources('tf-cdktn').ibm_iam_trusted_profile)).toHaveLength(2);
    expect(resources('tf-cdktn')).toEqual(resources('tf-cdktf'));
  });

  test('a missing peer exits 2 with the npm install command', () => {
    // GIVEN the compiled package installed without cdk8s, cdk8s-plus-27 or constructs (its own
    // dependencies linked in)
    const app = fs.mkdtempSync(path.join(os.tmpdir(), 'iks-wi-nopeer-'));
    try {
      const pkg = path.join(app, 'node_modules', 'iks-workload-identity');
      fs.mkdirSync(pkg, { recursive: true });
      fs.cpSync(path.join(ROOT, 'lib'), path.join(pkg, 'lib'), { recursive: true });
      fs.copyFileSync(path.join(ROOT, 'package.json'), path.join(pkg, 'package.json'));
      const deps = Object.keys(JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).dependencies);
      for (const dep of deps) {
        fs.mkdirSync(path.dirname(path.join(app, 'node_modules', dep)), { recursive: true });
        fs.symlinkSync(path.join(ROOT, 'node_modules', dep), path.join(app, 'node_modules', dep));
      }
      fs.writeFileSync(path.join(app, 'identities.yaml'), TWO_NAMESPACES);
      // WHEN synth runs there
      const r = spawnSync(process.execPath, [path.join(pkg, 'lib', 'cli', 'main.js'), 'synth'], { cwd: app, encoding: 'utf8', env: { ...process.env, NODE_PATH: '' } });
      // THEN it exits 2, naming what to install
      expect(r.status).toBe(2);
      expect(r.stderr).toBe('iks-workload-identity: the Kubernetes side needs cdk8s, cdk8s-plus-27, constructs, not installed beside iks-workload-identity; run: npm install cdk8s cdk8s-plus-27 constructs (or pass --no-k8s)\n');
    } finally {
      fs.rmSync(app, { recursive: true, force: true });
    }
  });
});

describe('synth --help', () => {
  test.each([['--help'], ['-h']])('%s prints the usage on stdout and exits 0', (flag) => {
    // WHEN synth runs with the help flag
    const r = check(['synth', flag]);
    // THEN the usage, with every flag and the exit statuses, is on stdout
    expect(r.status).toBe(0);
    expect(r.stderr).toBe('');
    for (const text of ['usage: iks-workload-identity synth', '--k8s-out', '--terraform-out', '--stack', '--engine', '--iam-endpoint', '--no-k8s', '--no-terraform', 'exit status']) {
      expect(r.stdout).toContain(text);
    }
  });

  test('the top-level help lists synth', () => {
    const r = check(['--help']);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^ {2}synth /m);
  });

  // util-linux `script` runs the command on a pseudo-terminal, as a person's shell does.
  const hasScript = spawnSync('script', ['--version'], { encoding: 'utf8' }).status === 0;
  const onTerminal = (dir: string, env: NodeJS.ProcessEnv) =>
    spawnSync('script', ['-qec', `${JSON.stringify(process.execPath)} ${JSON.stringify(path.join(ROOT, 'lib', 'cli', 'main.js'))} synth`, '/dev/null'], { cwd: dir, encoding: 'utf8', env });

  (hasScript ? test : test.skip)('on a terminal, outside CI, it prints a line per phase with counts', () => {
    // GIVEN a valid file of two namespaces
    const dir = scratch({ 'identities.yaml': TWO_NAMESPACES });
    const env = { ...process.env };
    delete env.CI;
    // WHEN synth runs on a terminal
    const r = onTerminal(dir, env);
    // THEN the phases are shown with their counts
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('read 2 identities from identities.yaml');
    expect(r.stdout).toContain('rendered 2 namespaces (6 Kubernetes objects)');
    expect(r.stdout).toContain('rendered the Terraform stack workload-identities');
    expect(r.stdout).toMatch(/wrote 4 files to dist and cdktf\.out/);
  });

  (hasScript ? test : test.skip)('on a terminal in CI it prints no progress', () => {
    const dir = scratch({ 'identities.yaml': TWO_NAMESPACES });
    const r = onTerminal(dir, { ...process.env, CI: 'true' });
    expect(r.status).toBe(0);
    expect(r.stdout).not.toContain('rendered');
  });

  test('a successful run off a terminal prints nothing', () => {
    // GIVEN a valid file; stderr is a pipe here, not a terminal
    const dir = scratch({ 'identities.yaml': TWO_NAMESPACES });
    // WHEN synth runs
    const r = synth([], dir);
    // THEN no progress lines are printed
    expect(r.status).toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe('');
  });
});
