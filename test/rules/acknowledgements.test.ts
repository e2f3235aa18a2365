import { ACKNOWLEDGE_ANNOTATION_PREFIX, formatFinding, IWI_K2, IWI_P2, MIN_ACKNOWLEDGEMENT_REASON_LENGTH, runRules } from '../../src/rules';
import { deployment, policy, stack, tokenVolume } from './fixtures';

const LONG_TOKEN = { volumes: [tokenVolume({ expirationSeconds: 7200 })] };
const ACCOUNT_POLICY = { roles: ['Viewer'], account_management: true };

describe('acknowledging a finding', () => {
  test('an annotation on the manifest acknowledges the rule with its reason', () => {
    // GIVEN a Deployment breaking IWI-K2 that carries the acknowledgement annotation for IWI-K2
    const manifest = deployment(LONG_TOKEN, { [`${ACKNOWLEDGE_ANNOTATION_PREFIX}IWI-K2`]: 'test cluster with a patched IAM' });
    // WHEN the rule runs
    const report = runRules({ kubernetes: [{ file: 'k.yaml', manifest }] }, [IWI_K2]);
    // THEN the finding is kept, marked acknowledged with the reason, and counts as no error
    expect(report.findings).toEqual([expect.objectContaining({ ruleId: 'IWI-K2', acknowledged: 'test cluster with a patched IAM' })]);
    expect({ errors: report.errors, acknowledged: report.acknowledged }).toEqual({ errors: 0, acknowledged: 1 });
  });

  test('an annotation for another rule acknowledges nothing', () => {
    // GIVEN the same Deployment acknowledging IWI-K1 instead
    const manifest = deployment(LONG_TOKEN, { [`${ACKNOWLEDGE_ANNOTATION_PREFIX}IWI-K1`]: 'not this one at all' });
    // WHEN IWI-K2 runs
    const report = runRules({ kubernetes: [{ file: 'k.yaml', manifest }] }, [IWI_K2]);
    // THEN the error stands
    expect(report.errors).toBe(1);
  });

  test('an empty reason acknowledges nothing', () => {
    // GIVEN an acknowledgement annotation with an empty value
    const manifest = deployment(LONG_TOKEN, { [`${ACKNOWLEDGE_ANNOTATION_PREFIX}IWI-K2`]: ' ' });
    // WHEN IWI-K2 runs
    // THEN the error stands
    expect(runRules({ kubernetes: [{ file: 'k.yaml', manifest }] }, [IWI_K2]).errors).toBe(1);
  });

  test('a hand-written annotation with a reason under 10 characters leaves the finding open and says why', () => {
    // GIVEN a Deployment acknowledging IWI-K2 with the reason "ok"
    const manifest = deployment(LONG_TOKEN, { [`${ACKNOWLEDGE_ANNOTATION_PREFIX}IWI-K2`]: 'ok' });
    // WHEN IWI-K2 runs
    const report = runRules({ kubernetes: [{ file: 'k.yaml', manifest }] }, [IWI_K2]);
    // THEN the error stands and its message explains that the acknowledgement does not count
    expect(report.errors).toBe(1);
    expect(report.findings[0].acknowledged).toBeUndefined();
    expect(report.findings[0].message).toContain('(the acknowledgement of IWI-K2 does not count: its reason "ok" is shorter than 10 characters)');
  });

  test('a reason counts from 10 characters, spaces around it aside, as the declarations require', () => {
    // GIVEN reasons of 9 and 10 characters, padded with spaces
    const with9 = deployment(LONG_TOKEN, { [`${ACKNOWLEDGE_ANNOTATION_PREFIX}IWI-K2`]: '  123456789  ' });
    const with10 = deployment(LONG_TOKEN, { [`${ACKNOWLEDGE_ANNOTATION_PREFIX}IWI-K2`]: '  1234567890  ' });
    // WHEN IWI-K2 runs on each
    const errors = (manifest: any) => runRules({ kubernetes: [{ file: 'k.yaml', manifest }] }, [IWI_K2]).errors;
    // THEN only the 10-character reason acknowledges
    expect([errors(with9), errors(with10)]).toEqual([1, 0]);
    expect(MIN_ACKNOWLEDGEMENT_REASON_LENGTH).toBe(10);
  });

  test('a "//" comment with a too-short reason leaves the Terraform finding open', () => {
    // GIVEN an account-management policy acknowledged with "fine"
    const config = stack({ ibm_iam_trusted_profile_policy: { p: policy(ACCOUNT_POLICY, { 'IWI-P2': 'fine' }) } });
    // WHEN IWI-P2 runs
    const report = runRules({ terraform: [{ file: 'cdk.tf.json', config }] }, [IWI_P2]);
    // THEN the error stands, saying why
    expect(report.errors).toBe(1);
    expect(report.findings[0].message).toContain('its reason "fine" is shorter than 10 characters');
  });

  test('a "//" comment on a Terraform resource acknowledges the rule with its reason', () => {
    // GIVEN an account-management policy whose comment acknowledges IWI-P2
    const config = stack({ ibm_iam_trusted_profile_policy: { p: policy(ACCOUNT_POLICY, { 'IWI-P2': 'reads the account settings to report them' }) } });
    // WHEN IWI-P2 runs
    const report = runRules({ terraform: [{ file: 'cdk.tf.json', config }] }, [IWI_P2]);
    // THEN it is acknowledged and no error
    expect(report.findings.map((f) => f.acknowledged)).toEqual(['reads the account settings to report them']);
    expect(report.errors).toBe(0);
  });
});

describe('a finding as one line', () => {
  test('reads severity, rule, object, file and message', () => {
    // GIVEN an open IWI-P2 error
    const config = stack({ ibm_iam_trusted_profile_policy: { p: policy(ACCOUNT_POLICY) } });
    const [finding] = runRules({ terraform: [{ file: 'stacks/a/cdk.tf.json', config }] }, [IWI_P2]).findings;
    // WHEN it is formatted
    // THEN the line has the documented shape
    expect(formatFinding(finding)).toMatch(/^ERROR IWI-P2 ibm_iam_trusted_profile_policy\.p \(stacks\/a\/cdk\.tf\.json\): grants Viewer on the account management services/);
  });

  test('says an acknowledged finding is acknowledged, with the severity and the reason', () => {
    // GIVEN an acknowledged IWI-P2 error
    const config = stack({ ibm_iam_trusted_profile_policy: { p: policy(ACCOUNT_POLICY, { 'IWI-P2': 'reads the account settings' }) } });
    const [finding] = runRules({ terraform: [{ file: 'cdk.tf.json', config }] }, [IWI_P2]).findings;
    // WHEN it is formatted
    const line = formatFinding(finding);
    // THEN it starts with ACKNOWLEDGED and ends with the reason
    expect(line.startsWith('ACKNOWLEDGED IWI-P2 ')).toBe(true);
    expect(line.endsWith('[error acknowledged: reads the account settings]')).toBe(true);
  });
});
