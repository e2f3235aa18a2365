// `check` reads Terraform configuration as Terraform loads a module: every *.tf and *.tf.json
// of a folder, override files merged last (hashicorp/terraform internal/configs/
// parser_config_dir.go and module_merge.go, v1.x), HCL through @cdktf/hcl2json.
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { check, expectNoStackTrace, ROOT, scratch } from './check-support';

jest.setTimeout(120_000);

const tf = (dir: string, ...extra: string[]) => check(['check', '--terraform', dir, '--no-k8s', ...extra]);

const PROFILE = { ibm_iam_trusted_profile: { p: { name: 'payments-api' } } };
const READER = { iam_id: '${ibm_iam_trusted_profile.p.iam_id}', roles: ['Reader'], resources: { service: 'secrets-manager' } };
const json = (resource: Record<string, unknown>, extra: Record<string, unknown> = {}) => JSON.stringify({ resource, ...extra });

describe('check merges override files as Terraform does', () => {
  test('judges a policy made Administrator by a *_override.tf.json file', () => {
    // GIVEN a Reader policy in cdk.tf.json and an override file raising it to Administrator
    const dir = scratch({
      'cdk.tf.json': json({ ...PROFILE, ibm_iam_trusted_profile_policy: { read: READER } }),
      'admin_override.tf.json': json({ ibm_iam_trusted_profile_policy: { read: { roles: ['Administrator'] } } }),
    });
    // WHEN the folder is checked
    const r = tf(dir);
    // THEN the merged policy (Administrator on every instance) is the IWI-P1 error, located in the primary file
    expect(r.stdout).toContain(`ERROR IWI-P1 ibm_iam_trusted_profile_policy.read (${path.join(dir, 'cdk.tf.json')}): grants Administrator on every instance of service "secrets-manager"`);
    expect(r.status).toBe(1);
  });

  test('passes a policy that an override.tf file scopes to an instance', () => {
    // GIVEN an Administrator policy on a whole service and an HCL override.tf adding the instance
    const dir = scratch({
      'main.tf.json': json({ ...PROFILE, ibm_iam_trusted_profile_policy: { admin: { ...READER, roles: ['Administrator'] } } }),
      'override.tf': 'resource "ibm_iam_trusted_profile_policy" "admin" {\n  resources {\n    service = "secrets-manager"\n    resource_instance_id = "5a4e5e2c-8f3b-4d8e-9c51-2b7f0e6d1a93"\n  }\n}\n',
    });
    // WHEN checked
    const r = tf(dir);
    // THEN the override's nested block replaces the original's: scoped, no error
    expect(r.status).toBe(0);
  });

  test('refuses an override of a resource no primary file defines', () => {
    // GIVEN an override file for a missing resource
    const dir = scratch({ 'cdk.tf.json': json(PROFILE), 'x_override.tf.json': json({ ibm_iam_trusted_profile_policy: { ghost: { roles: ['Reader'] } } }) });
    // WHEN checked
    const r = tf(dir);
    // THEN exit 2 naming the override file
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(`${path.join(dir, 'x_override.tf.json')}: overrides resource "ibm_iam_trusted_profile_policy" "ghost", which no primary file defines`);
  });

  test('refuses a resource defined in two primary files', () => {
    // GIVEN the same policy in main.tf.json and extra.tf
    const dir = scratch({
      'main.tf.json': json({ ...PROFILE, ibm_iam_trusted_profile_policy: { read: READER } }),
      'extra.tf': 'resource "ibm_iam_trusted_profile_policy" "read" {\n  roles = ["Administrator"]\n}\n',
    });
    // WHEN checked
    const r = tf(dir);
    // THEN exit 2: Terraform refuses duplicates, so the check must not pick one
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('resource "ibm_iam_trusted_profile_policy" "read" is also defined in');
  });

  test('treats each folder as its own module (cdktf: one per stack)', () => {
    // GIVEN two stacks defining a policy with the same name
    const dir = scratch({
      'stacks/a/cdk.tf.json': json({ ...PROFILE, ibm_iam_trusted_profile_policy: { read: READER } }),
      'stacks/b/cdk.tf.json': json({ ...PROFILE, ibm_iam_trusted_profile_policy: { read: READER } }),
    });
    // WHEN checked
    const r = tf(dir);
    // THEN no duplicate: two modules
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('2 Terraform modules');
  });
});

describe('check reads HCL', () => {
  test('judges hand-written HCL: Administrator on a whole service, claim rule without cluster', () => {
    // GIVEN a main.tf in HCL
    const dir = scratch({ 'main.tf': `
resource "ibm_iam_trusted_profile" "p" {
  name = "payments-api"
}
resource "ibm_iam_trusted_profile_policy" "admin" {
  iam_id = ibm_iam_trusted_profile.p.iam_id
  roles  = ["Administrator"]
  resources {
    service = "secrets-manager"
  }
}
resource "ibm_iam_trusted_profile_claim_rule" "any" {
  profile_id = ibm_iam_trusted_profile.p.id
  type       = "Profile-CR"
  cr_type    = "IKS_SA"
  conditions {
    claim    = "namespace"
    operator = "EQUALS"
    value    = "\\"payments\\""
  }
}
` });
    // WHEN checked
    const r = tf(dir);
    // THEN both rules fire, located in main.tf
    expect(r.stdout).toContain(`ERROR IWI-P1 ibm_iam_trusted_profile_policy.admin (${path.join(dir, 'main.tf')})`);
    expect(r.stdout).toContain('ERROR IWI-T1 ibm_iam_trusted_profile_claim_rule.any');
    expect(r.status).toBe(1);
  });

  test.each([
    ['a role hidden in an interpolation', 'roles = ["Admin${""}istrator"]\n  resources {\n    service = "kms"\n  }', 'IWI-P1'],
    ['roles from a function call', 'roles = concat(["Reader"], ["Administrator"])', 'IWI-P1'],
    ['account_management as "${true}"', 'roles = ["Viewer"]\n  account_management = "${true}"', 'IWI-P2'],
  ])('flags %s as a value it cannot know', (_label, body, rule) => {
    // GIVEN a policy in HCL with the expression
    const dir = scratch({ 'main.tf': `resource "ibm_iam_trusted_profile_policy" "x" {\n  iam_id = "iam-ServiceId-1"\n  ${body}\n}\n` });
    // WHEN checked
    const r = tf(dir);
    // THEN the rule reports it as an error
    expect(r.stdout).toContain(`ERROR ${rule} ibm_iam_trusted_profile_policy.x`);
    expect(r.status).toBe(1);
  });

  test('flags a claim rule whose type is "${"Profile-CR"}", which HCL folds to Profile-CR', () => {
    // GIVEN the claim rule from the issue, in HCL
    const dir = scratch({ 'main.tf': 'resource "ibm_iam_trusted_profile_claim_rule" "r" {\n  profile_id = "Profile-1"\n  type = "${"Profile-CR"}"\n  cr_type = "IKS_SA"\n  conditions {\n    claim = "namespace"\n    operator = "EQUALS"\n    value = "\\"payments\\""\n  }\n}\n' });
    // WHEN checked
    const r = tf(dir);
    // THEN the parser evaluates the constant template as Terraform does, and IWI-T1 judges a
    // Profile-CR rule without a cluster restriction (the JSON form is covered in trust-rules.test.ts)
    expect(r.stdout).toContain('ERROR IWI-T1 ibm_iam_trusted_profile_claim_rule.r');
    expect(r.stdout).toContain('in every cluster of the account');
    expect(r.status).toBe(1);
  });

  test('exits 2 naming an HCL file that does not parse', () => {
    // GIVEN a truncated block
    const dir = scratch({ 'main.tf': 'resource "ibm_iam_trusted_profile" "p" {\n  name = \n' });
    // WHEN checked
    const r = tf(dir);
    // THEN exit 2 naming the file
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(`${path.join(dir, 'main.tf')}: not valid HCL`);
    expectNoStackTrace(r);
  });
});

describe('check refuses Terraform files that are not configuration', () => {
  test.each([['null'], ['[]'], ['"text"'], ['42'], ['{"resource": "x"}'], ['{"resource": {"t": ["x"]}}']])('%s is exit 2', (content) => {
    // GIVEN a cdk.tf.json holding the value
    const dir = scratch({ 'stacks/a/cdk.tf.json': content });
    // WHEN checked
    const r = tf(dir);
    // THEN exit 2 naming the file, never a pass
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(path.join(dir, 'stacks', 'a', 'cdk.tf.json'));
    expectNoStackTrace(r);
  });
});

describe('acknowledgements carried in a local value', () => {
  const ADMIN = 'resource "ibm_iam_trusted_profile_policy" "admin" {\n  iam_id = "iam-Profile-1"\n  roles = ["Administrator"]\n  resources {\n    service = "kms"\n  }\n}\n';

  test('an HCL local acknowledges a finding, its percent-encoded reason decoded', () => {
    // GIVEN the policy and, in another file, the local the constructs write
    const dir = scratch({ 'main.tf': ADMIN, 'meta.tf': `locals {
  anything = {
    iks-workload-identity = {
      resources = {
        "ibm_iam_trusted_profile_policy.admin" = { acknowledge = { IWI-P1 = "keys of %22every%22 team %24{x}" } }
      }
    }
  }
}
` });
    // WHEN checked
    const r = tf(dir);
    // THEN acknowledged with the decoded reason, exit 0
    expect(r.stdout).toContain('[error acknowledged: keys of "every" team ${x}]');
    expect(r.status).toBe(0);
  });

  test('a local naming another resource acknowledges nothing here', () => {
    // GIVEN the local for a different address
    const dir = scratch({ 'main.tf': ADMIN, 'meta.tf.json': JSON.stringify({ locals: { m: { 'iks-workload-identity': { resources: {
      'ibm_iam_trusted_profile_policy.other': { acknowledge: { 'IWI-P1': 'for another policy entirely' } } } } } } }) });
    // WHEN checked
    const r = tf(dir);
    // THEN the finding stays open
    expect(r.stdout).toContain('ERROR IWI-P1 ibm_iam_trusted_profile_policy.admin');
    expect(r.status).toBe(1);
  });
});

describe('the constructs and check resolve references to objects of the same stack', () => {
  test('a Manager policy scoped to an instance resource of the stack synthesizes and passes check', () => {
    // GIVEN an app granting Manager on the GUID of a resource instance declared in the same stack,
    // which is a token at synthesis and "${ibm_resource_instance.kms.guid}" in the output
    const dir = scratch({ 'app.js': `
const { App, TerraformStack, TerraformResource } = require('cdktf');
const { WorkloadIdentity, ClusterKind } = require(${JSON.stringify(path.join(ROOT, 'lib'))});
const { WorkloadIdentityProfile, ibm } = require(${JSON.stringify(path.join(ROOT, 'lib', 'terraform'))});
const app = new App({ outdir: 'cdktf.out' });
const stack = new TerraformStack(app, 'payments');
new ibm.provider.IbmProvider(stack, 'ibm', { region: 'us-south' });
const kms = new TerraformResource(stack, 'kms', { terraformResourceType: 'ibm_resource_instance' });
const identity = new WorkloadIdentity({
  name: 'payments-api', serviceAccount: { namespace: 'payments' },
  clusters: [{ kind: ClusterKind.IKS, crn: 'crn:v1:bluemix:public:containers-kubernetes:us-south:a/0123456789abcdef0123456789abcdef:cq5l0v8d0h4b7f3kq2pg::' }],
  policies: [{ name: 'admin', roles: ['Manager'], resources: { service: 'kms', resourceInstanceId: kms.getStringAttribute('guid') } }],
});
new WorkloadIdentityProfile(stack, 'payments-api', { identity });
app.synth();
` });
    fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(dir, 'node_modules'));
    // WHEN it synthesizes, and check reads the output
    const synth = spawnSync(process.execPath, ['app.js'], { cwd: dir, encoding: 'utf8' });
    const r = check(['check', '--no-k8s'], dir);
    // THEN both pass: the reference names one instance
    expect(synth.stderr).toBe('');
    expect(synth.status).toBe(0);
    expect(fs.readFileSync(path.join(dir, 'cdktf.out', 'stacks', 'payments', 'cdk.tf.json'), 'utf8')).toContain('"resource_instance_id": "${ibm_resource_instance.kms.guid}"');
    expect(r.status).toBe(0);
  });
});

describe('check after cdktf synth --hcl', () => {
  test('keeps the acknowledgements recorded by the constructs, and passes the example', () => {
    // GIVEN a cdktf app using the compiled library with an acknowledged Administrator policy,
    // synthesized by the real cdktf CLI with --hcl
    const dir = scratch({
      'cdktf.json': JSON.stringify({ language: 'typescript', app: 'node app.js' }),
      'app.js': `
const { App, TerraformStack } = require('cdktf');
const { WorkloadIdentity, ClusterKind } = require(${JSON.stringify(path.join(ROOT, 'lib'))});
const { WorkloadIdentityProfile, ibm } = require(${JSON.stringify(path.join(ROOT, 'lib', 'terraform'))});
const identity = new WorkloadIdentity({
  name: 'payments-api', serviceAccount: { namespace: 'payments' },
  clusters: [{ kind: ClusterKind.IKS, lookup: { nameOrId: 'prod-1' } }],
  trust: 'claim-rule',
  policies: [{ name: 'admin', roles: ['Administrator'], resources: { service: 'secrets-manager' } }],
  acknowledgements: [{ ruleId: 'IWI-P1', reason: 'rotates "every" secret: \${not} a %{template}' }],
});
const app = new App();
const stack = new TerraformStack(app, 'payments');
new ibm.provider.IbmProvider(stack, 'ibm', { region: 'us-south' });
new WorkloadIdentityProfile(stack, 'payments-api', { identity });
app.synth();
`,
    });
    fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(dir, 'node_modules'));
    const synth = spawnSync(process.execPath, [path.join(ROOT, 'scripts', 'cdktf-synth.js'), '--hcl'], { cwd: dir, encoding: 'utf8' });
    expect(synth.status).toBe(0);
    expect(fs.existsSync(path.join(dir, 'cdktf.out', 'stacks', 'payments', 'cdk.tf'))).toBe(true);
    // WHEN check reads the HCL output
    const r = check(['check', '--no-k8s'], dir);
    // THEN the finding is acknowledged with the reason, exactly as written, and the
    // looked-up cluster in the claim rule counts as a restriction
    expect(r.stdout).toContain('ACKNOWLEDGED IWI-P1');
    expect(r.stdout).toContain('[error acknowledged: rotates "every" secret: ${not} a %{template}]');
    expect(r.stdout).not.toContain('IWI-T1');
    expect(r.status).toBe(0);
  });
});
