// `iks-workload-identity check` end to end: the compiled bin (`npm test` builds it first) run
// as a user runs it, on hand-written files and on the example's own synthesized outputs.
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { check, ROOT, scratch } from './check-support';

const CRN = 'crn:v1:bluemix:public:containers-kubernetes:us-south:a/0123456789abcdef0123456789abcdef:cq5l0v8d0h4b7f3kq2pg::';

jest.setTimeout(120_000);

// What a team writes from IBM's documentation: the curl Job with the token on its command line,
// a projected token without audience living two hours, no Pod Security settings.
const IBM_SAMPLE_JOB = `apiVersion: batch/v1
kind: Job
metadata:
  name: token-fetch
  namespace: payments
spec:
  template:
    spec:
      serviceAccountName: payments-api
      restartPolicy: Never
      containers:
        - name: fetch
          image: curlimages/curl:8.11.1
          env:
            - { name: IBMCLOUD_CR_PROFILE, value: payments-api }
          command: ["/bin/sh", "-c"]
          args:
            - curl -s -X POST https://iam.cloud.ibm.com/identity/token -d grant_type=urn:ibm:params:oauth:grant-type:cr-token -d cr_token=$(cat /var/run/secrets/tokens/sa-token) -d profile_name=payments-api
          volumeMounts:
            - { name: sa-token, mountPath: /var/run/secrets/tokens }
      volumes:
        - name: sa-token
          projected:
            sources:
              - serviceAccountToken: { path: sa-token, expirationSeconds: 7200 }
`;

const STACK = (resource: Record<string, unknown>) => JSON.stringify({ resource });

// Administrator on every Secrets Manager instance, and a claim rule trusting the namespace in
// every cluster, for service account `reports`, which no manifest defines.
const BROAD_STACK = STACK({
  ibm_iam_trusted_profile: { p: { name: 'payments' } },
  ibm_iam_trusted_profile_policy: { admin: { iam_id: '${ibm_iam_trusted_profile.p.iam_id}', roles: ['Administrator'], resources: { service: 'secrets-manager' } } },
  ibm_iam_trusted_profile_claim_rule: { any: { profile_id: '${ibm_iam_trusted_profile.p.id}', type: 'Profile-CR', cr_type: 'IKS_SA', conditions: [
    { claim: 'namespace', operator: 'EQUALS', value: '"payments"' }, { claim: 'name', operator: 'EQUALS', value: '"reports"' }] } },
});

const SA = 'apiVersion: v1\nkind: ServiceAccount\nmetadata: { name: payments-api, namespace: payments }\n';
const CLEAN_STACK = STACK({
  ibm_iam_trusted_profile: { p: { name: 'payments-api' } },
  ibm_iam_trusted_profile_link: { l: { profile_id: '${ibm_iam_trusted_profile.p.id}', cr_type: 'IKS_SA', link: { crn: CRN, namespace: 'payments', name: 'payments-api' } } },
});

describe('iks-workload-identity check on hand-written outputs', () => {
  test('exits 1 and reports each broken rule on IBM\'s sample Job and a broad Terraform stack', () => {
    // GIVEN the sample Job (in a .yml file in a subfolder, beside a ServiceAccount) and the broad stack
    const dir = scratch({ 'k8s/jobs/fetch.yml': `${SA}---\n${IBM_SAMPLE_JOB}`, 'tf/stacks/payments/cdk.tf.json': BROAD_STACK });
    // WHEN the command checks both folders
    const r = check(['check', '--k8s', path.join(dir, 'k8s'), '--terraform', path.join(dir, 'tf')]);
    // THEN it exits 1 and names every rule the files break
    expect(r.status).toBe(1);
    const ids = new Set(r.lines.map((l) => l.split(' ')[1]));
    for (const id of ['IWI-P1', 'IWI-T1', 'IWI-K1', 'IWI-K2', 'IWI-K4', 'IWI-S1', 'IWI-X1', 'IWI-X2']) expect(ids).toContain(id);
  });

  test('prints one line per finding with severity, rule, object, file and message, then a summary', () => {
    // GIVEN the sample Job alone
    const dir = scratch({ 'fetch.yaml': IBM_SAMPLE_JOB });
    // WHEN the Kubernetes side alone is checked
    const r = check(['check', '--k8s', dir, '--no-terraform']);
    // THEN the token-on-command-line finding reads as documented, and the last line sums up
    expect(r.lines).toContain(`ERROR IWI-K4 Job payments/token-fetch (${path.join(dir, 'fetch.yaml')}): container "fetch" reads the token file into a command line with cat ("cat /var/run/secrets/tokens/sa-token"); 1 more place in this container; keep the token off command lines: curl --data-urlencode "cr_token@<file>" or -d @<file>, ibmcloud login --cr-token @<file>, an IBM SDK with <SERVICE>_CR_TOKEN_FILENAME, or "< <file>" into a program reading @-`);
    expect(r.lines[r.lines.length - 1]).toMatch(/^\d+ error\(s\), 0 warning\(s\), 0 acknowledged in 1 Kubernetes objects, 0 Terraform modules$/);
  });

  test('honours an acknowledgement annotation, printing the finding as acknowledged with its reason', () => {
    // GIVEN a compliant pod whose token lives 7200 s, acknowledged by annotation
    const manifest = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'app', namespace: 'payments',
      annotations: { 'iks-workload-identity/acknowledge.IWI-K2': 'lab cluster with a patched IAM' } },
    spec: { serviceAccountName: 'payments-api', securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
      containers: [{ name: 'app', image: 'example/app:1.0', env: [{ name: 'IBMCLOUD_CR_TOKEN', value: '@/var/run/secrets/tokens/sa-token' }],
        securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } },
        volumeMounts: [{ name: 'sa-token', mountPath: '/var/run/secrets/tokens' }] }],
      volumes: [{ name: 'sa-token', projected: { sources: [{ serviceAccountToken: { audience: 'iam', expirationSeconds: 7200, path: 'sa-token' } }] } }] } };
    const dir = scratch({ 'pod.yaml': JSON.stringify(manifest) });
    // WHEN it is checked
    const r = check(['check', '--k8s', dir, '--no-terraform']);
    // THEN it exits 0 and prints the acknowledged finding with the reason
    expect(r.status).toBe(0);
    expect(r.lines[0]).toMatch(/^ACKNOWLEDGED IWI-K2 Pod payments\/app .*\[error acknowledged: lab cluster with a patched IAM\]$/);
  });

  test('exits 0 when there are only warnings', () => {
    // GIVEN a clean stack with one extra link to a service account no manifest defines
    const stack = JSON.parse(CLEAN_STACK);
    stack.resource.ibm_iam_trusted_profile_link.stale = { profile_id: 'x', cr_type: 'IKS_SA', link: { crn: CRN, namespace: 'payments', name: 'old-api' } };
    const dir = scratch({ 'k8s/sa.yaml': SA, 'tf/cdk.tf.json': JSON.stringify(stack) });
    // WHEN both sides are checked
    const r = check(['check', '--k8s', path.join(dir, 'k8s'), '--terraform', path.join(dir, 'tf')]);
    // THEN the IWI-X1 warning is printed and the exit status is 0
    expect(r.lines[0]).toMatch(/^WARNING IWI-X1 ibm_iam_trusted_profile_link\.stale /);
    expect(r.status).toBe(0);
  });

  test('reads dist and cdktf.out of the working directory by default', () => {
    // GIVEN a project folder with dist/ and cdktf.out/ holding consistent, clean outputs
    const dir = scratch({ 'dist/sa.yaml': SA, 'cdktf.out/stacks/p/cdk.tf.json': CLEAN_STACK });
    // WHEN check runs there without flags
    const r = check(['check'], dir);
    // THEN it reads both and finds nothing
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('0 error(s), 0 warning(s), 0 acknowledged in 1 Kubernetes objects, 1 Terraform modules');
  });

  test('prints JSON with --format json', () => {
    // GIVEN the sample Job
    const dir = scratch({ 'fetch.yaml': IBM_SAMPLE_JOB });
    // WHEN checked with --format json
    const r = check(['check', '--k8s', dir, '--no-terraform', '--format', 'json']);
    // THEN stdout is one JSON document listing the findings and the error count
    const report = JSON.parse(r.stdout);
    expect(report.findings).toContainEqual(expect.objectContaining({ ruleId: 'IWI-K4', severity: 'error', object: 'Job payments/token-fetch', acknowledged: null }));
    expect(report.summary.errors).toBe(report.findings.length);
  });
  test('reads the objects inside a kind: List', () => {
    // GIVEN the sample Job wrapped in a List, as `kubectl get -o yaml` writes it
    const list = `apiVersion: v1\nkind: List\nitems:\n${IBM_SAMPLE_JOB.replace(/^/gm, '    ').replace(/^    apiVersion/, '  - apiVersion')}`;
    const dir = scratch({ 'list.yaml': list });
    // WHEN it is checked
    const r = check(['check', '--k8s', dir, '--no-terraform']);
    // THEN the Job inside is judged
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('ERROR IWI-K4 Job payments/token-fetch');
  });
});

describe('iks-workload-identity check on outputs of the constructs', () => {
  test('honours the acknowledgements the constructs recorded in both outputs', () => {
    // GIVEN apps using the compiled library: an identity granting Administrator on a whole
    // service and binding a Job with the token on its command line, acknowledging both rules
    const dir = scratch({
      'app.js': `
const { App: K8sApp, Chart } = require('cdk8s');
const kplus = require('cdk8s-plus-27');
const { App: TfApp, TerraformStack } = require('cdktf');
const { WorkloadIdentity, ClusterKind } = require(${JSON.stringify(path.join(ROOT, 'lib'))});
const { WorkloadIdentityServiceAccount, WorkloadIdentityBinding } = require(${JSON.stringify(path.join(ROOT, 'lib', 'k8s'))});
const { WorkloadIdentityProfile, ibm } = require(${JSON.stringify(path.join(ROOT, 'lib', 'terraform'))});
const identity = new WorkloadIdentity({
  name: 'payments-api', serviceAccount: { namespace: 'payments' }, clusters: [{ kind: ClusterKind.IKS, crn: ${JSON.stringify(CRN)} }],
  policies: [{ name: 'admin', roles: ['Administrator'], resources: { service: 'secrets-manager' } }],
  acknowledgements: [
    { ruleId: 'IWI-P1', reason: 'rotates every secret of the team' },
    { ruleId: 'IWI-K4', reason: 'one-off smoke test on a dev cluster' },
  ],
});
const k8s = new K8sApp({ outdir: 'dist' });
const chart = new Chart(k8s, 'payments', { namespace: 'payments' });
new WorkloadIdentityServiceAccount(chart, 'sa', { identity });
const job = new kplus.Job(chart, 'smoke', { metadata: { name: 'smoke' } });
job.addContainer({ name: 'curl', image: 'curlimages/curl:8.11.1', securityContext: { user: 100, group: 101 },
  command: ['/bin/sh', '-c', 'curl -d cr_token=$(cat /var/run/secrets/tokens/sa-token) https://iam.cloud.ibm.com/identity/token'] });
WorkloadIdentityBinding.bind(job, { identity });
k8s.synth();
const tf = new TfApp({ outdir: 'cdktf.out' });
const stack = new TerraformStack(tf, 'payments');
new ibm.provider.IbmProvider(stack, 'ibm', { region: 'us-south' });
new WorkloadIdentityProfile(stack, 'payments-api', { identity });
tf.synth();
`,
    });
    fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(dir, 'node_modules'));
    const synth = spawnSync(process.execPath, ['app.js'], { cwd: dir, encoding: 'utf8', env: { ...process.env, CHECKPOINT_DISABLE: '1' } });
    expect(synth.stderr).toBe('');
    // WHEN check reads what they wrote
    const r = check(['check'], dir);
    // THEN both findings print as acknowledged, with the reasons, and the exit status is 0
    expect(r.lines.filter((l) => l.startsWith('ACKNOWLEDGED')).map((l) => l.split(' ')[1]).sort()).toEqual(['IWI-K4', 'IWI-P1']);
    expect(r.stdout).toContain('[error acknowledged: rotates every secret of the team]');
    expect(r.stdout).toContain('[error acknowledged: one-off smoke test on a dev cluster]');
    expect(r.status).toBe(0);
  });
});

describe('iks-workload-identity check on the example\'s own outputs', () => {
  test('exits 0: the example passes its own check', () => {
    // GIVEN the compiled example apps, synthesized as `npm run synth` runs them, into a scratch folder
    const dir = scratch();
    const env = { ...process.env, CDK8S_OUTDIR: path.join(dir, 'dist'), CDKTF_OUTDIR: path.join(dir, 'cdktf.out'), CHECKPOINT_DISABLE: '1' };
    for (const app of ['k8s', 'terraform']) {
      const synth = spawnSync(process.execPath, [path.join(ROOT, 'build', 'examples', app, 'main.js')], { cwd: ROOT, env, encoding: 'utf8' });
      expect(synth.stderr).toBe('');
      expect(synth.status).toBe(0);
    }
    // WHEN check reads both outputs
    const r = check(['check', '--k8s', path.join(dir, 'dist'), '--terraform', path.join(dir, 'cdktf.out')]);
    // THEN it finds nothing in 3 objects and 1 module (the stack), and exits 0
    expect(r.lines).toEqual(['0 error(s), 0 warning(s), 0 acknowledged in 3 Kubernetes objects, 1 Terraform modules']);
    expect(r.status).toBe(0);
  });
});

describe('iks-workload-identity usage and read errors', () => {
  test('exits 2 naming a folder that does not exist', () => {
    // GIVEN no such folder
    const missing = path.join(os.tmpdir(), 'iks-wi-check-missing-folder');
    // WHEN check is pointed at it
    const r = check(['check', '--k8s', missing, '--no-terraform']);
    // THEN it exits 2 and says which folder
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(`cannot read ${missing}: no such directory`);
  });

  test('exits 2 naming a YAML file that does not parse', () => {
    // GIVEN a manifest with a broken flow sequence
    const dir = scratch({ 'bad.yaml': 'apiVersion: v1\nkind: Pod\nmetadata: [\n' });
    // WHEN it is checked
    const r = check(['check', '--k8s', dir, '--no-terraform']);
    // THEN it exits 2 and names the file
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(`${path.join(dir, 'bad.yaml')}: not valid YAML`);
  });

  test('exits 2 naming a cdk.tf.json that does not parse', () => {
    // GIVEN a truncated stack file
    const dir = scratch({ 'stacks/a/cdk.tf.json': '{ "resource": ' });
    // WHEN it is checked
    const r = check(['check', '--terraform', dir, '--no-k8s']);
    // THEN it exits 2 and names the file
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(`${path.join(dir, 'stacks', 'a', 'cdk.tf.json')}: not valid JSON`);
  });

  test('exits 2 with the usage on an unknown flag', () => {
    // GIVEN a misspelt flag
    // WHEN check runs with it
    const r = check(['check', '--k8', 'dist']);
    // THEN it exits 2, names the flag (in node's parseArgs words) and prints the usage
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("Unknown option '--k8'");
    expect(r.stderr).toContain('usage: iks-workload-identity check');
  });

  test('exits 2 without a command', () => {
    // GIVEN no arguments
    // WHEN the bin runs
    const r = check([]);
    // THEN it exits 2 with the usage
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('no command given');
  });

  test('exits 2 on a --format other than text, json or sarif', () => {
    // GIVEN an unsupported format
    // WHEN check runs with it
    const r = check(['check', '--format', 'xml']);
    // THEN it exits 2 naming the value
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('--format is text, json or sarif, not "xml"');
  });
});

describe('iks-workload-identity rules', () => {
  test('lists every rule with its severity and fix, and exits 0', () => {
    // GIVEN the bin
    // WHEN it lists the rules
    const r = check(['rules']);
    // THEN each rule appears with its severity, and the status is 0
    expect(r.status).toBe(0);
    for (const line of ['IWI-P1 error', 'IWI-P2 error', 'IWI-T1 error', 'IWI-K1 error', 'IWI-K2 error', 'IWI-K3 error', 'IWI-K4 error', 'IWI-S1 error', 'IWI-X1 warning', 'IWI-X2 error']) {
      expect(r.stdout).toContain(line);
    }
  });
});
