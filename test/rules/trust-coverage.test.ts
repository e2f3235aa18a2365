import { ACKNOWLEDGE_ANNOTATION_PREFIX, IWI_T2, IWI_X3, runRules } from '../../src/rules';
import { evaluateCondition } from '../../src/rules/trust';
import { bothFindings, claimRule, cond, CLUSTER_CRN, deployment, ibmContainer, tfFindings } from './fixtures';

const PROFILE_REF = '${ibm_iam_trusted_profile.ledger.id}';

/** A Deployment `finance/ledger` running as `serviceAccount`, asking IAM for profile ledger-reader. */
function ledger(serviceAccount: string | null = 'ledger', namespace = 'finance', annotations?: Record<string, string>): any {
  const container = ibmContainer('app');
  container.env = container.env.map((e: any) => (e.name.endsWith('PROFILE') || e.name.endsWith('PROFILE_NAME') ? { ...e, value: 'ledger-reader' } : e));
  const d = deployment({ containers: [container], serviceAccountName: serviceAccount ?? undefined }, annotations);
  d.metadata = { ...d.metadata, name: 'ledger', namespace };
  if (serviceAccount === null) delete d.spec.template.spec.serviceAccountName;
  return d;
}

const ledgerLink = (namespace: string, name: string, extra: Record<string, unknown> = {}) =>
  ({ profile_id: PROFILE_REF, cr_type: 'IKS_SA', link: { crn: CLUSTER_CRN, namespace, name }, ...extra });

/** The stack: profile ledger-reader plus `trust` ({ type: { id: body } }). */
const ledgerStack = (trust: Record<string, Record<string, any>>) =>
  ({ resource: { ibm_iam_trusted_profile: { ledger: { name: 'ledger-reader' } }, ...trust } });

const withClaimRule = (...conditions: { claim: string; operator: string; value: string }[]) =>
  ledgerStack({ ibm_iam_trusted_profile_claim_rule: { r: { ...claimRule([...conditions, cond('service_instance', 'c1')]), profile_id: PROFILE_REF } } });

describe('IWI-X3 workload runs as a service account its profile does not trust', () => {
  test('flags the issue\'s case: finance/ledger asking for ledger-reader, which trusts only finance/ledger-v2', () => {
    // GIVEN the Deployment running as finance/ledger and the profile's only link to finance/ledger-v2
    const config = ledgerStack({ ibm_iam_trusted_profile_link: { l: ledgerLink('finance', 'ledger-v2') } });
    // WHEN IWI-X3 runs over both sides
    const findings = bothFindings(IWI_X3, [ledger()], config);
    // THEN one error names the workload, the profile, what it trusts and the fix
    expect(findings).toEqual([expect.objectContaining({ ruleId: 'IWI-X3', severity: 'error', object: 'Deployment finance/ledger' })]);
    expect(findings[0].message).toContain('runs as service account finance/ledger and asks for trusted profile "ledger-reader", which trusts finance/ledger-v2 (ibm_iam_trusted_profile_link.l)');
    expect(findings[0].message).toContain('add a link or claim rule for finance/ledger');
  });

  test('makes the whole run fail, as check exits 1 on open errors', () => {
    // GIVEN the same mismatch
    const config = ledgerStack({ ibm_iam_trusted_profile_link: { l: ledgerLink('finance', 'ledger-v2') } });
    // WHEN all rules run
    const report = runRules({ kubernetes: [{ file: 'k.yaml', manifest: ledger() }], terraform: [{ file: 'cdk.tf.json', config }] });
    // THEN the report counts an open IWI-X3 error
    expect(report.findings.filter((f) => f.ruleId === 'IWI-X3' && f.acknowledged === undefined)).toHaveLength(1);
    expect(report.errors).toBeGreaterThan(0);
  });

  test('accepts a workload whose namespace and service account a link trusts', () => {
    // GIVEN links to finance/ledger-v2 and finance/ledger
    const config = ledgerStack({ ibm_iam_trusted_profile_link: { a: ledgerLink('finance', 'ledger-v2'), b: ledgerLink('finance', 'ledger') } });
    // WHEN IWI-X3 runs
    // THEN it finds nothing
    expect(bothFindings(IWI_X3, [ledger()], config)).toEqual([]);
  });

  test('flags the same service account name in another namespace', () => {
    // GIVEN a link to audit/ledger only
    const config = ledgerStack({ ibm_iam_trusted_profile_link: { a: ledgerLink('audit', 'ledger') } });
    // WHEN IWI-X3 runs on finance/ledger
    // THEN it is flagged
    expect(bothFindings(IWI_X3, [ledger()], config).map((f) => f.ruleId)).toEqual(['IWI-X3']);
  });

  test('judges a pod without serviceAccountName as the default service account', () => {
    // GIVEN a link to finance/ledger and a Deployment that names no service account
    const config = ledgerStack({ ibm_iam_trusted_profile_link: { a: ledgerLink('finance', 'ledger') } });
    // WHEN IWI-X3 runs
    const findings = bothFindings(IWI_X3, [ledger(null)], config);
    // THEN it reports finance/default, saying why
    expect(findings.map((f) => f.message)).toEqual([expect.stringContaining('runs as service account finance/default (no serviceAccountName)')]);
  });

  test('accepts a claim rule whose IN namespaces and EQUALS name accept the workload, cluster conditions aside', () => {
    // GIVEN a claim rule namespace IN [audit, finance], name EQUALS ledger, service_instance EQUALS c1
    // WHEN IWI-X3 runs
    // THEN it finds nothing
    expect(bothFindings(IWI_X3, [ledger()], withClaimRule(cond('namespace', ['audit', 'finance']), cond('name', 'ledger')))).toEqual([]);
  });

  test('flags a claim rule whose IN list leaves the namespace out', () => {
    // GIVEN namespace IN [audit, billing]
    // WHEN IWI-X3 runs on finance/ledger
    const findings = bothFindings(IWI_X3, [ledger()], withClaimRule(cond('namespace', ['audit', 'billing']), cond('name', 'ledger')));
    // THEN it is flagged, describing the conditions
    expect(findings.map((f) => f.message)).toEqual([expect.stringContaining('namespace IN ["audit","billing"], name EQUALS "ledger"')]);
  });

  test('flags a claim rule whose NOT_EQUALS excludes the service account', () => {
    // GIVEN name NOT_EQUALS ledger
    // WHEN IWI-X3 runs
    // THEN it is flagged
    expect(bothFindings(IWI_X3, [ledger()], withClaimRule(cond('namespace', 'finance'), cond('name', 'ledger', 'NOT_EQUALS')))).toHaveLength(1);
  });

  test('accepts EQUALS_IGNORE_CASE and CONTAINS when they match', () => {
    // GIVEN namespace EQUALS_IGNORE_CASE FINANCE and name CONTAINS edg
    const config = withClaimRule(cond('namespace', 'FINANCE', 'EQUALS_IGNORE_CASE'), cond('name', 'edg', 'CONTAINS'));
    // WHEN IWI-X3 runs
    // THEN it finds nothing
    expect(bothFindings(IWI_X3, [ledger()], config)).toEqual([]);
  });

  test('reports that the trust cannot be verified when a link\'s namespace is an expression', () => {
    // GIVEN the only link's namespace is a Terraform variable
    const config = ledgerStack({ ibm_iam_trusted_profile_link: { l: ledgerLink('${var.namespace}', 'ledger') } });
    // WHEN IWI-X3 runs
    const findings = bothFindings(IWI_X3, [ledger()], config);
    // THEN an error says it cannot be verified, naming the link
    expect(findings.map((f) => f.message)).toEqual([expect.stringContaining('cannot be verified: ibm_iam_trusted_profile_link.l holds a value known only at plan time')]);
  });

  test('is acknowledged by the workload\'s annotation', () => {
    // GIVEN the mismatch, and the Deployment acknowledging IWI-X3
    const config = ledgerStack({ ibm_iam_trusted_profile_link: { l: ledgerLink('finance', 'ledger-v2') } });
    const manifest = ledger('ledger', 'finance', { [`${ACKNOWLEDGE_ANNOTATION_PREFIX}IWI-X3`]: 'trusted by a link in the platform stack' });
    // WHEN the rule runs
    const report = runRules({ kubernetes: [{ file: 'k.yaml', manifest }], terraform: [{ file: 'cdk.tf.json', config }] }, [IWI_X3]);
    // THEN the finding is acknowledged and no error
    expect({ errors: report.errors, acknowledged: report.acknowledged }).toEqual({ errors: 0, acknowledged: 1 });
  });

  test('leaves a profile known only by name (managed elsewhere) alone when the stacks hold none of its trust', () => {
    // GIVEN a stack with only a policy naming ledger-reader in its metadata (an existing profile)
    const config = { resource: { ibm_iam_trusted_profile_policy: { p: { roles: ['Reader'], '//': { 'iks-workload-identity': { profileName: 'ledger-reader' } } } } } };
    // WHEN IWI-X3 runs
    // THEN it finds nothing: the trust lives where the profile does
    expect(bothFindings(IWI_X3, [ledger()], config)).toEqual([]);
  });

  test('judges an existing profile\'s links that the stack holds, traced by their metadata', () => {
    // GIVEN links to an existing profile (a literal ID) recording its name, trusting finance/ledger-v2
    const meta = { '//': { 'iks-workload-identity': { profileName: 'ledger-reader' } } };
    const config = { resource: { ibm_iam_trusted_profile_link: { l: { ...ledgerLink('finance', 'ledger-v2'), profile_id: 'Profile-0d6a', ...meta } } } };
    // WHEN IWI-X3 runs
    // THEN it is flagged
    expect(bothFindings(IWI_X3, [ledger()], config).map((f) => f.ruleId)).toEqual(['IWI-X3']);
  });

  test('flags a profile the stack creates without any trust', () => {
    // GIVEN the profile alone
    // WHEN IWI-X3 runs
    // THEN it says the profile trusts nothing in the stacks
    expect(bothFindings(IWI_X3, [ledger()], ledgerStack({})).map((f) => f.message)).toEqual([expect.stringContaining('which trusts no service account in the stacks')]);
  });

  test('does not judge a profile name the stacks do not know (IWI-X2 reports it)', () => {
    // GIVEN a stack defining another profile
    const config = { resource: { ibm_iam_trusted_profile: { o: { name: 'other' } } } };
    // WHEN IWI-X3 runs
    // THEN it finds nothing
    expect(bothFindings(IWI_X3, [ledger()], config)).toEqual([]);
  });

  test('does not run without the Terraform side', () => {
    // GIVEN only the manifests
    // WHEN IWI-X3 runs
    // THEN it has nothing to compare
    expect(runRules({ kubernetes: [{ file: 'k.yaml', manifest: ledger() }] }, [IWI_X3]).findings).toEqual([]);
  });
});

describe('claim-rule conditions as IAM evaluates them', () => {
  test.each([
    ['EQUALS', '"ledger"', 'ledger', 'yes'],
    ['EQUALS', '"ledger"', 'Ledger', 'no'],
    ['NOT_EQUALS', '"ledger"', 'ledger', 'no'],
    ['EQUALS_IGNORE_CASE', '"LEDGER"', 'ledger', 'yes'],
    ['NOT_EQUALS_IGNORE_CASE', '"LEDGER"', 'ledger', 'no'],
    ['CONTAINS', '"dge"', 'ledger', 'yes'],
    ['CONTAINS', '"x"', 'ledger', 'no'],
    ['IN', '["a","ledger"]', 'ledger', 'yes'],
    ['IN', '["a"]', 'ledger', 'no'],
    ['IN', '"ledger"', 'ledger', 'unknown'],
    ['EQUALS', 'ledger', 'ledger', 'yes'],
    ['EQUALS', '${var.name}', 'ledger', 'unknown'],
    ['MATCHES', '"ledger"', 'ledger', 'unknown'],
  ])('%s %s on %s is %s', (operator, value, actual, expected) => {
    // GIVEN a condition WHEN evaluated on a claim value THEN the verdict is IAM's, or unknown
    expect(evaluateCondition(operator, value, actual)).toBe(expected);
  });
});

describe('IWI-T2 profile trusts a namespace\'s default service account', () => {
  test('warns on a link to a namespace\'s default service account', () => {
    // GIVEN a link to finance/default
    const config = ledgerStack({ ibm_iam_trusted_profile_link: { l: ledgerLink('finance', 'default') } });
    // WHEN IWI-T2 runs
    const findings = tfFindings(IWI_T2, config);
    // THEN one warning on the link
    expect(findings).toEqual([expect.objectContaining({ ruleId: 'IWI-T2', severity: 'warning', object: 'ibm_iam_trusted_profile_link.l' })]);
    expect(findings[0].message).toContain('trusts finance/default');
  });

  test('warns on a claim rule without a name condition', () => {
    // GIVEN a claim rule on namespace only
    // WHEN IWI-T2 runs
    // THEN it warns
    expect(tfFindings(IWI_T2, withClaimRule(cond('namespace', 'finance'))).map((f) => f.ruleId)).toEqual(['IWI-T2']);
  });

  test('warns on a claim rule whose name condition accepts "default"', () => {
    // GIVEN name NOT_EQUALS ledger (so default passes)
    // WHEN IWI-T2 runs
    // THEN it warns
    expect(tfFindings(IWI_T2, withClaimRule(cond('namespace', 'finance'), cond('name', 'ledger', 'NOT_EQUALS')))).toHaveLength(1);
  });

  test('passes links and claim rules that name another service account', () => {
    // GIVEN a link to finance/ledger and a claim rule name EQUALS ledger
    const config = ledgerStack({
      ibm_iam_trusted_profile_link: { l: ledgerLink('finance', 'ledger') },
      ibm_iam_trusted_profile_claim_rule: { r: { ...claimRule([cond('namespace', 'finance'), cond('name', 'ledger'), cond('service_instance', 'c1')]), profile_id: PROFILE_REF } },
    });
    // WHEN IWI-T2 runs
    // THEN it finds nothing
    expect(tfFindings(IWI_T2, config)).toEqual([]);
  });

  test('does not warn when the name is known only at plan time', () => {
    // GIVEN a link whose name is a variable
    // WHEN IWI-T2 runs
    // THEN it does not guess
    expect(tfFindings(IWI_T2, ledgerStack({ ibm_iam_trusted_profile_link: { l: ledgerLink('finance', '${var.sa}') } }))).toEqual([]);
  });
});

describe('IWI-X3 with claim rules it cannot read', () => {
  test('reports a claim rule whose type is an expression as unverifiable', () => {
    // GIVEN the only trust is a claim rule whose type is written as an expression
    const rule = { ...claimRule([cond('namespace', 'finance'), cond('name', 'ledger')]), profile_id: PROFILE_REF, type: '${"Profile-CR"}' };
    // WHEN IWI-X3 runs
    const findings = bothFindings(IWI_X3, [ledger()], ledgerStack({ ibm_iam_trusted_profile_claim_rule: { r: rule } }));
    // THEN it says the trust cannot be verified
    expect(findings.map((f) => f.message)).toEqual([expect.stringContaining('cannot be verified: ibm_iam_trusted_profile_claim_rule.r')]);
  });
});
