// Baseline (d): the same Terraform as examples/platform/terraform.ts, written with the
// generated IBM provider classes directly: per identity a trusted profile, a link per cluster
// (or a claim rule per cluster kind) and a policy per access policy, in one stack, under the
// same construct paths so the synthesized JSON is the same.
'use strict';
const { TerraformStack } = require('cdktf');
const { Construct } = require('constructs');
const ibm = require('../lib/terraform/generated/providers/ibm');

const byKey = (items, key) => [...items].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));

function buildPlainStack(app, data) {
  const stack = new TerraformStack(app, 'platform-identities');
  new ibm.provider.IbmProvider(stack, 'ibm', { region: 'us-south' });
  for (const entry of data.identities) {
    const scope = new Construct(stack, entry.name);
    const namespace = entry.serviceAccount.namespace;
    const saName = entry.serviceAccount.name ?? entry.name;
    const profile = new ibm.iamTrustedProfile.IamTrustedProfile(scope, 'profile', {
      name: entry.profileName ?? entry.name,
      description: entry.description ?? `Workload identity for ${namespace}/${saName}, managed by iks-workload-identity`,
    });
    const clusters = byKey(entry.clusters.map((c) => ({ ...c, key: c.key ?? c.crn.split(':')[7] })), (c) => c.key);
    if (entry.trust === 'claim-rule') {
      for (const kind of [...new Set(clusters.map((c) => c.kind))].sort()) {
        const key = kind === 'IKS' ? 'iks' : 'roks';
        const ids = clusters.filter((c) => c.kind === kind).map((c) => c.crn.split(':')[7]);
        const equalsAnyOf = (claim, values) => ({ claim, operator: values.length === 1 ? 'EQUALS' : 'IN', value: JSON.stringify(values.length === 1 ? values[0] : values) });
        new ibm.iamTrustedProfileClaimRule.IamTrustedProfileClaimRule(scope, `claim-rule-${key}-${saName}`, {
          profileId: profile.id,
          type: 'Profile-CR',
          crType: `${kind}_SA`,
          name: `${namespace}/${saName}@${key}`,
          conditions: [equalsAnyOf('namespace', [namespace]), equalsAnyOf('name', [saName]), equalsAnyOf('service_instance', ids)],
        });
      }
    } else {
      for (const c of clusters) {
        new ibm.iamTrustedProfileLink.IamTrustedProfileLink(scope, `link-${c.key}-${namespace}-${saName}`, {
          profileId: profile.id,
          crType: `${c.kind}_SA`,
          name: `${namespace}/${saName}@${c.key}`,
          link: { crn: c.crn, namespace, name: saName },
        });
      }
    }
    for (const p of byKey(entry.policies ?? [], (x) => x.name)) {
      new ibm.iamTrustedProfilePolicy.IamTrustedProfilePolicy(scope, `policy-${p.name}`, {
        iamId: profile.iamId,
        roles: [...p.roles],
        description: p.description,
        resources: { ...p.resources },
      });
    }
  }
  return stack;
}

module.exports = { buildPlainStack };
