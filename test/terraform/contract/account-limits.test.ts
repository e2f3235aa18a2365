// IAM's account limits, checked before anything is written.
// Source: IBM Cloud docs, account `iam-manageaccess.md` ("IAM limits"): 2,000 trusted profiles and
// 4,020 policies per account (context-based-restriction rules count against the same limit; IBM
// advises about 1,000), 1,000 policies per subject, 20 claim rules per trusted profile.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ACCOUNT_LIMITS, checkAccountLimits, declarationsFromData, DeclarationError, WorkloadIdentity, WorkloadIdentityError } from '../../../src';
import { AnnotationMetadataEntryType, TerraformStack, Testing } from 'cdktf';
import { main } from '../../../src/cli/main';
import { ibm, IdentityStackResources, WorkloadIdentityProfile } from '../../../src/terraform';
import { IWI_L1, IWI_L2, runRules } from '../../../src/rules';
import { TerraformDocument } from '../../../src/rules/types';
import { crn } from '../fixtures';
import { props, synthStack } from './helpers';

/** A declarations file's data: `count` identities with `policies` policies each. */
function data(count: number, policies = 0): unknown {
  return {
    identities: Array.from({ length: count }, (_, i) => ({
      name: `app-${i}`,
      serviceAccount: { namespace: 'apps' },
      clusters: [{ kind: 'IKS', crn: crn('iksaaaaaaaaaaaaaaaaa') }],
      policies: Array.from({ length: policies }, (__, j) => ({ name: `p-${j}`, roles: ['Reader'], resources: { service: 'kms', resource: `k-${j}` } })),
    })),
  };
}

/** A Terraform document holding `blocks` of each type, as `check` reads them. */
function stack(file: string, blocks: Record<string, number>, body: (type: string, i: number) => object = () => ({})): TerraformDocument {
  const resource: Record<string, Record<string, object>> = {};
  for (const [type, n] of Object.entries(blocks)) {
    resource[type] = Object.fromEntries(Array.from({ length: n }, (_, i) => [`r${i}`, body(type, i)]));
  }
  return { file, config: { resource } };
}

describe('a declarations file', () => {
  test('with more trusted profiles than an account holds fails with the count, the limit and the fix', () => {
    // GIVEN 2,001 identities, each creating a profile
    // WHEN the file is loaded
    let error: unknown;
    try { declarationsFromData(data(ACCOUNT_LIMITS.trustedProfilesPerAccount + 1), 'identities.yaml'); } catch (e) { error = e; }
    // THEN one file-level problem names 2,001, 2,000 and the fix
    expect(error).toBeInstanceOf(DeclarationError);
    const problems = (error as DeclarationError).problems;
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ source: 'identities.yaml', index: -1, field: 'identities', value: 2001 });
    expect((error as Error).message).toContain('2,001 trusted profiles, and IAM allows 2,000 per account');
  });

  test('with more policies than an account holds fails, pointing at access groups', () => {
    // GIVEN five identities of 805 policies each: 4,025 policies
    let error: unknown;
    try { declarationsFromData(data(5, 805), 'identities.yaml'); } catch (e) { error = e; }
    // THEN the file fails naming 4,025 and 4,020
    expect((error as Error).message).toContain('4,025 access policies, and IAM allows 4,020 per account');
    expect((error as Error).message).toContain('accessGroups');
  });

  test('past IBM\'s advised 1,000 policies loads, with a warning', () => {
    // GIVEN two identities of 501 policies each
    const warnings: string[] = [];
    const spy = jest.spyOn(process, 'emitWarning').mockImplementation(((m: string) => { warnings.push(m); }) as never);
    try {
      // WHEN the file is loaded
      const declarations = declarationsFromData(data(2, 501), 'identities.yaml');
      // THEN it loads, and one warning names 1,002 policies and the advice
      expect(declarations).toHaveLength(2);
      expect(warnings).toEqual([expect.stringContaining('1,002 access policies; IBM advises staying under about 1,000')]);
    } finally {
      spy.mockRestore();
    }
  });
});

describe('one identity', () => {
  test('with more policies than a subject may hold is refused', () => {
    // GIVEN 1,001 policies on one identity
    const policies = Array.from({ length: 1001 }, (_, j) => ({ name: `p-${j}`, roles: ['Reader'], resources: { service: 'kms' } }));
    // THEN the identity is refused on policies
    expect(() => new WorkloadIdentity(props({ policies }))).toThrow(/policies is "1001 policies"; IAM allows at most 1000 policies per subject/);
  });
});

describe('checkAccountLimits', () => {
  test('counts neither attached existing profiles as created profiles nor memberships as policies', () => {
    // GIVEN 2,001 identities of which 2 attach to an existing profile, all in an access group
    const identities = Array.from({ length: 2001 }, (_, i) => ({ name: `a${i}`, existingProfile: i < 2 ? { name: 'x' } : undefined, policies: [], accessGroups: ['AccessGroup-7c1e4b2a9f3d4e6a8b0c2d4f6a8e1b3c'] }));
    // WHEN the limits are checked
    const findings = checkAccountLimits(identities, { onWarning: () => undefined });
    // THEN 1,999 profiles is a warning, not an error
    expect(findings.map((f) => [f.severity, f.count])).toEqual([['warning', 1999]]);
  });

  test('throws a WorkloadIdentityError when no collector is given', () => {
    // GIVEN 2,001 created profiles
    const identities = Array.from({ length: 2001 }, (_, i) => ({ name: `a${i}`, policies: [] }));
    // THEN the check throws
    expect(() => checkAccountLimits(identities)).toThrow(WorkloadIdentityError);
  });
});

describe('a synthesized stack', () => {
  test('past the per-account policy limit fails synthesis', () => {
    // GIVEN five identities of 805 policies each in one stack
    const policies = Array.from({ length: 805 }, (_, j) => ({ name: `p-${j}`, roles: ['Reader'], resources: { service: 'kms', resource: `k-${j}` } }));
    const identities = Array.from({ length: 5 }, (_, i) => new WorkloadIdentity(props({ name: `app-${i}`, serviceAccount: { namespace: `ns-${i}` }, policies })));
    // WHEN it is synthesized with validations
    // THEN synthesis fails naming the count and the limit
    expect(() => synthStack(...identities)).toThrow(/4,025 access policies, and IAM allows 4,020 per account/);
  });
});

describe('a synthesized stack near a limit', () => {
  test('synthesizes, with a warning on the stack\'s shared construct', () => {
    // GIVEN two identities of 501 policies each: past IBM's advised 1,000
    const policies = Array.from({ length: 501 }, (_, j) => ({ name: `p-${j}`, roles: ['Reader'], resources: { service: 'kms', resource: `k-${j}` } }));
    const identities = [0, 1].map((i) => new WorkloadIdentity(props({ name: `app-${i}`, serviceAccount: { namespace: `ns-${i}` }, policies })));
    const stack = new TerraformStack(Testing.app(), 'near');
    new ibm.provider.IbmProvider(stack, 'ibm', { region: 'us-south' });
    for (const identity of identities) new WorkloadIdentityProfile(stack, identity.name, { identity, outputs: false });
    // WHEN it is synthesized with validations
    Testing.synth(stack, true);
    // THEN the stack's shared construct carries one warning naming 1,002 policies
    const warnings = IdentityStackResources.of(stack).node.metadata.filter((m) => m.type === AnnotationMetadataEntryType.WARN).map((m) => String(m.data));
    expect(warnings).toEqual([expect.stringContaining('1,002 access policies; IBM advises staying under about 1,000')]);
  });
});

describe('rules over Terraform stacks', () => {
  test('IWI-L1 counts trusted profiles across every stack read', () => {
    // GIVEN two stacks of 1,001 profiles each
    const report = runRules({ terraform: [stack('a/cdk.tf.json', { ibm_iam_trusted_profile: 1001 }), stack('b/cdk.tf.json', { ibm_iam_trusted_profile: 1001 })] }, [IWI_L1]);
    // THEN one error names 2,002 profiles
    expect(report.findings.map((f) => [f.ruleId, f.object, f.file])).toEqual([['IWI-L1', 'IAM account', '2 Terraform stacks']]);
    expect(report.findings[0].message).toContain('2,002 trusted profiles');
  });

  test('IWI-L1 counts CBR rules and every policy type against the per-account limit, a numeric count as many', () => {
    // GIVEN 4,000 profile policies by count, 10 access-group policies and 11 CBR rules
    const doc = stack('a/cdk.tf.json', { ibm_iam_trusted_profile_policy: 1, ibm_iam_access_group_policy: 10, ibm_cbr_rule: 11 }, (type) => (type === 'ibm_iam_trusted_profile_policy' ? { count: 4000, iam_id: 'x' } : {}));
    // WHEN IWI-L1 runs
    const report = runRules({ terraform: [doc] }, [IWI_L1]);
    // THEN 4,021 policies exceed 4,020 and 4,000 on one subject exceed 1,000
    expect(report.findings.map((f) => f.message)).toEqual([
      expect.stringContaining('4,021 access policies'),
      expect.stringContaining('the subject x has 4,000 access policies'),
    ]);
  });

  test('IWI-L1 does not count access-group memberships as policies', () => {
    // GIVEN 1,000 policies and 5,000 membership resources
    const doc = stack('a/cdk.tf.json', { ibm_iam_trusted_profile_policy: 1000, ibm_iam_access_group_members: 5000 }, (_, i) => ({ iam_id: `s${i}` }));
    // THEN IWI-L1 and IWI-L2 find nothing
    expect(runRules({ terraform: [doc] }, [IWI_L1, IWI_L2]).findings).toEqual([]);
  });

  test('IWI-L1 finds a profile with more than 20 claim rules', () => {
    // GIVEN 21 claim rules on one profile
    const doc = stack('a/cdk.tf.json', { ibm_iam_trusted_profile_claim_rule: 21 }, () => ({ profile_id: '${ibm_iam_trusted_profile.p.id}' }));
    // THEN one error names the profile
    const report = runRules({ terraform: [doc] }, [IWI_L1]);
    expect(report.findings.map((f) => f.message)).toEqual([expect.stringContaining('has 21 claim rules, and IAM allows 20 per trusted profile')]);
  });

  test('IWI-L2 warns past the advised 1,000 policies', () => {
    // GIVEN 1,001 policies on distinct subjects
    const doc = stack('a/cdk.tf.json', { ibm_iam_trusted_profile_policy: 1001 }, (_, i) => ({ iam_id: `s${i}` }));
    // THEN one warning, and no error
    const report = runRules({ terraform: [doc] }, [IWI_L1, IWI_L2]);
    expect(report.findings.map((f) => [f.ruleId, f.severity])).toEqual([['IWI-L2', 'warning']]);
    expect(report.errors).toBe(0);
  });

  test('iks-workload-identity check fails over a stack set past a limit', async () => {
    // GIVEN two stack folders with 1,001 profiles each
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'iwi-limits-'));
    for (const name of ['a', 'b']) {
      fs.mkdirSync(path.join(dir, 'stacks', name), { recursive: true });
      fs.writeFileSync(path.join(dir, 'stacks', name, 'cdk.tf.json'), JSON.stringify(stack(name, { ibm_iam_trusted_profile: 1001 }).config));
    }
    // WHEN check runs over the folder
    const out: string[] = [];
    const status = await main(['check', '--no-k8s', '--terraform', dir], (l) => { out.push(l); return true; }, () => true);
    fs.rmSync(dir, { recursive: true, force: true });
    // THEN it exits 1 with the IWI-L1 error
    expect(status).toBe(1);
    expect(out.join('\n')).toMatch(/ERROR IWI-L1 IAM account .*2,002 trusted profiles/);
  });
});
