#!/usr/bin/env node
// One app synthesized from the compiled package as a user's program does (`app.synth()`), on
// the engine named by argv[2]: `cdktf` through lib/terraform, `cdktn` through lib/cdktn.
// test/terraform/engines.test.ts runs it once per engine and compares the files byte for byte.
//   node synth-app.js <cdktf|cdktn> <outdir>
'use strict';
const path = require('path');

const [engine, outdir] = process.argv.slice(2);
if (!['cdktf', 'cdktn'].includes(engine) || !outdir) {
  process.stderr.write('usage: synth-app.js <cdktf|cdktn> <outdir>\n');
  process.exit(2);
}
const root = path.resolve(__dirname, '..', '..', '..');
const { App, TerraformStack } = require(engine);
const { ibm, WorkloadIdentityModule, WorkloadIdentityProfile } = require(path.join(root, 'lib', engine === 'cdktn' ? 'cdktn' : 'terraform'));
const { ClusterKind, TimeConditions, TrustMode, WorkloadIdentity } = require(path.join(root, 'lib'));
const { defaultDeclarationsFile, loadDeclarations } = require(path.join(root, 'build', 'examples', 'platform', 'declarations'));

const CRN = 'crn:v1:bluemix:public:containers-kubernetes:us-south:a/0123456789abcdef0123456789abcdef:iksaaaaaaaaaaaaaaaaa::';
const SECRETS = { service: 'secrets-manager', resourceInstanceId: '5a4e5e2c-8f3b-4d8e-9c51-2b7f0e6d1a93' };

// What the platform example does not show: looked-up VPC and classic clusters, claim rules
// with a looked-up cluster ID (a token inside jsonencode), time conditions, an existing profile.
function extras() {
  return [
    new WorkloadIdentity({
      name: 'ledger',
      serviceAccount: { namespace: 'ledger' },
      clusters: [
        { kind: ClusterKind.IKS, lookup: { nameOrId: 'prod-eu', resourceGroupId: 'rg-0123' }, key: 'prod-eu' },
        { kind: ClusterKind.IKS, lookup: { nameOrId: 'legacy', infrastructure: 'classic' }, key: 'legacy' },
      ],
      trust: TrustMode.CLAIM_RULE,
      policies: [{ name: 'office-hours', roles: ['SecretsReader'], resources: SECRETS, ...TimeConditions.weekly({ days: [1, 2, 3, 4, 5], from: '09:00:00', to: '17:00:00' }) }],
    }),
    new WorkloadIdentity({
      name: 'shared-reader',
      serviceAccount: { namespace: 'reports' },
      clusters: [{ kind: ClusterKind.IKS, crn: CRN }],
      existingProfile: { name: 'shared', id: 'Profile-0b7f3d1c-2e4a-4b8e-9c51-2b7f0e6d1a93' },
      policies: [{ name: 'read-secrets', roles: ['SecretsReader'], resources: SECRETS }],
    }),
  ];
}

const app = new App({ outdir });
const stack = new TerraformStack(app, 'platform');
new ibm.provider.IbmProvider(stack, 'ibm', { region: 'us-south' });
const declared = loadDeclarations(defaultDeclarationsFile()).map((d) => d.identity);
for (const identity of [...declared, ...extras()]) new WorkloadIdentityProfile(stack, identity.name, { identity });
new WorkloadIdentityModule(app, 'module', { identities: [...loadDeclarations(defaultDeclarationsFile()).map((d) => d.identity), ...extras()] });
// Empty objects (a provider with no arguments, no outputs) are where the engines' spacing differs.
const bare = new TerraformStack(app, 'bare');
new ibm.provider.IbmProvider(bare, 'ibm', {});
new WorkloadIdentityProfile(bare, 'shared-reader', { identity: extras()[1], outputs: false });
app.synth();
