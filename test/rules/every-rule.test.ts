// The rule catalogue's contract: every rule has an input it must flag and one it must pass,
// written as a user would write them. Adding a rule without a row here fails the first test.
import { ALL_RULES, Documents, extractFacts, KUBERNETES_SIDE_RULES, mergeReports, Rule, runRules, runRulesOnFacts } from '../../src/rules';
import { claimRule, cond, deployment, ibmContainer, job, link, policy, PROFILE, serviceAccount, stack, TOKEN_FILE, tokenVolume } from './fixtures';

const INSTANCE = '5a4e5e2c-8f3b-4d8e-9c51-2b7f0e6d1a93';
const k8s = (...manifests: any[]): Documents => ({ kubernetes: manifests.map((manifest) => ({ file: 'k.yaml', manifest })) });
const tf = (config: any): Documents => ({ terraform: [{ file: 'cdk.tf.json', config }] });
const both = (manifests: any[], config: any): Documents => ({ ...k8s(...manifests), ...tf(config) });
const linked = (...links: any[]) => stack({ ...PROFILE, ibm_iam_trusted_profile_link: Object.fromEntries(links.map((l, i) => [`l${i}`, l])) });
const withEnv = (name: string, value: string) => {
  const c = ibmContainer();
  c.env = c.env.map((e: any) => (e.name === name ? { ...e, value } : e));
  return deployment({ containers: [c] });
};

// n trusted profiles in one stack: the account-wide rules count across every stack read.
const profiles = (n: number) => stack({ ibm_iam_trusted_profile: Object.fromEntries(Array.from({ length: n }, (_, i) => [`p${i}`, { name: `profile-${i}` }])) });
const members = (...groups: string[]) => stack({
  ibm_iam_access_group_members: Object.fromEntries(groups.map((g, i) => [`m${i}`, { access_group_id: g, iam_profile_ids: ['${ibm_iam_trusted_profile.p.id}'] }])),
});

const CASES: Record<string, { readonly flag: Documents; readonly pass: Documents }> = {
  'IWI-P1': {
    flag: tf(stack({ ibm_iam_trusted_profile_policy: { p: policy({ roles: ['Manager'], resources: { service: 'secrets-manager' } }) } })),
    pass: tf(stack({ ibm_iam_trusted_profile_policy: { p: policy({ roles: ['Manager'], resources: { service: 'secrets-manager', resource_instance_id: INSTANCE } }) } })),
  },
  'IWI-P2': {
    flag: tf(stack({ ibm_iam_trusted_profile_policy: { p: policy({ roles: ['Viewer'], account_management: true }) } })),
    pass: tf(stack({ ibm_iam_trusted_profile_policy: { p: policy({ roles: ['Viewer'], resources: { service: 'kms', resource_instance_id: INSTANCE } }) } })),
  },
  'IWI-T1': {
    flag: tf(stack({ ibm_iam_trusted_profile_claim_rule: { r: claimRule([cond('namespace', 'payments'), cond('name', 'payments-api')]) } })),
    pass: tf(stack({ ibm_iam_trusted_profile_claim_rule: { r: claimRule([cond('namespace', 'payments'), cond('name', 'payments-api'), cond('service_instance', 'c1')]) } })),
  },
  'IWI-T2': {
    flag: tf(linked(link('payments', 'default'))),
    pass: tf(linked(link('payments', 'payments-api'))),
  },
  'IWI-K1': {
    flag: k8s(deployment({ volumes: [tokenVolume({ audience: 'vault' })] })),
    pass: k8s(deployment()),
  },
  'IWI-K2': {
    flag: k8s(deployment({ volumes: [tokenVolume({ expirationSeconds: 86400 })] })),
    pass: k8s(deployment({ volumes: [tokenVolume({ expirationSeconds: 600 })] })),
  },
  'IWI-K3': {
    flag: k8s(deployment({ containers: [ibmContainer(), ibmContainer('sidecar', { volumeMounts: [] })] })),
    pass: k8s(deployment({ containers: [ibmContainer(), ibmContainer('sidecar')] })),
  },
  'IWI-K4': {
    flag: k8s(job(['sh', '-c', `cd /var/run/secrets/tokens && curl -d "cr_token=$(cat sa-token)" https://iam.cloud.ibm.com/identity/token`])),
    pass: k8s(job(['sh', '-c', `curl --data-urlencode "cr_token@${TOKEN_FILE}" https://iam.cloud.ibm.com/identity/token`])),
  },
  'IWI-K5': {
    flag: k8s(deployment({ containers: [ibmContainer('app', { volumeMounts: [{ name: 'sa-token', mountPath: TOKEN_FILE, subPath: 'sa-token' }] })] })),
    pass: k8s(deployment()),
  },
  'IWI-K6': {
    flag: k8s(withEnv('IBMCLOUD_CR_TOKEN', '@/var/run/secrets/kubernetes.io/serviceaccount/token')),
    pass: k8s(deployment()),
  },
  'IWI-S1': {
    flag: k8s(deployment({ hostNetwork: true })),
    pass: k8s(deployment()),
  },
  'IWI-X1': {
    flag: both([serviceAccount()], linked(link('payments', 'old-api'))),
    pass: both([serviceAccount()], linked(link())),
  },
  'IWI-X2': {
    flag: both([deployment()], stack({ ibm_iam_trusted_profile: { p: { name: 'payments-v2' } } })),
    pass: both([deployment()], stack(PROFILE)),
  },
  'IWI-X3': {
    flag: both([deployment()], linked(link('payments', 'payments-api-v2'))),
    pass: both([deployment()], linked(link())),
  },
  'IWI-L1': {
    flag: tf(profiles(2001)),
    pass: tf(profiles(3)),
  },
  'IWI-L2': {
    flag: tf(profiles(1900)),
    pass: tf(profiles(3)),
  },
  'IWI-G1': {
    flag: tf(members('AccessGroup-observability', 'AccessGroup-observability')),
    pass: tf(members('AccessGroup-observability', 'AccessGroup-payments')),
  },
};

const ids = (rule: Rule, documents: Documents) => runRules(documents, [rule]).findings.map((f) => f.ruleId);

describe('every rule', () => {
  test('has a row of inputs to flag and to pass', () => {
    // GIVEN the table WHEN its keys are compared with the catalogue THEN they are the same
    expect(Object.keys(CASES).sort()).toEqual(ALL_RULES.map((r) => r.id).sort());
  });

  test.each(ALL_RULES.map((r) => [r.id, r] as const))('%s flags its flag input', (id, rule) => {
    // GIVEN the rule's flag input WHEN the rule runs alone THEN it reports at least one finding
    const found = ids(rule, CASES[id].flag);
    expect(found.length).toBeGreaterThan(0);
    expect(new Set(found)).toEqual(new Set([id]));
  });

  test.each(ALL_RULES.map((r) => [r.id, r] as const))('%s passes its pass input', (id, rule) => {
    // GIVEN the rule's pass input WHEN the rule runs alone THEN it finds nothing
    expect(ids(rule, CASES[id].pass)).toEqual([]);
  });

  test('the pass inputs of the Kubernetes rules pass every rule together', () => {
    // GIVEN the compliant Deployment and its stack WHEN all rules run THEN no error is open
    const report = runRules(both([deployment(), serviceAccount()], linked(link())));
    expect(report.findings.filter((f) => f.severity === 'error')).toEqual([]);
  });

  test('judged side by side as synth judges them, report what one run of every rule reports', () => {
    // GIVEN every rule's flag and pass inputs, each in a file of its own, read together
    const documents: Documents = { kubernetes: [], terraform: [] };
    for (const [id, { flag, pass }] of Object.entries(CASES)) {
      for (const [kind, input] of [['flag', flag], ['pass', pass]] as const) {
        for (const d of input.kubernetes ?? []) (documents.kubernetes as any[]).push({ ...d, file: `${id}-${kind}-${d.file}` });
        for (const d of input.terraform ?? []) (documents.terraform as any[]).push({ ...d, file: `${id}-${kind}-${d.file}` });
      }
    }
    // WHEN the Kubernetes rules run on the Kubernetes facts alone, the others on both, and the
    // reports are merged (src/cli/synth.ts)
    const facts = extractFacts(documents);
    const merged = mergeReports(
      runRulesOnFacts({ kubernetes: facts.kubernetes }, KUBERNETES_SIDE_RULES),
      runRulesOnFacts(facts, ALL_RULES.filter((r) => !KUBERNETES_SIDE_RULES.includes(r))),
    );
    // THEN the report is the one run of every rule gives, finding for finding and in order
    const single = runRules(documents);
    expect(single.findings.length).toBeGreaterThan(ALL_RULES.length);
    expect(merged).toEqual(single);
  });
});
