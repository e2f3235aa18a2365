// One policy for characters in declared text, by where the text lands (src/model/text-policy.ts).
// The kubelet expands `$(VAR)`: "Variable references $(VAR_NAME) are expanded using the
// container's environment" (kubernetes/kubernetes, staging/src/k8s.io/api/core/v1/types.go,
// Container.command/args; EnvVar.value says the same of earlier variables). Terraform reads `${`
// and `%{` as template sequences in any string, `$${` and `%%{` being the literal escapes
// (hashicorp/terraform, website/docs/language/expressions/strings.mdx).
import { escapeTerraformTemplate, TextLanding, textProblem, WorkloadIdentity } from '../../src';
import { captureError, propsWith } from './fixtures';

describe('textProblem', () => {
  test.each([
    [TextLanding.KUBELET, 'a$(b)', '"$("'],
    [TextLanding.KUBELET_AND_TERRAFORM, 'a$(b)', '"$("'],
    [TextLanding.KUBELET_AND_TERRAFORM, 'a${b}', '"${" or "%{"'],
    [TextLanding.TERRAFORM_NAME, 'a%{b}', '"${" or "%{"'],
  ])('refuses what %s would expand: %j', (landing, text, says) => {
    // GIVEN text holding a sequence expanded where it lands
    // WHEN it is checked
    // THEN the sequence is named
    expect(textProblem(text, landing)).toContain(says);
  });

  test.each([
    [TextLanding.TERRAFORM_NAME, 'a$(b)'],
    [TextLanding.KUBELET, 'a${b}'],
    [TextLanding.FREE_TEXT, 'a${b} %{c} $(d)'],
  ])('allows in %s what is not expanded there: %j', (landing, text) => {
    // GIVEN text whose sequence nothing expands where it lands (free text is escaped instead)
    // WHEN it is checked THEN it passes
    expect(textProblem(text, landing)).toBeUndefined();
  });

  test.each(['\u0000', '\u0009', '\u000a', '\u001f', '\u007f', '\u0080', '\u0085', '\u009b', '\u009f'])('refuses control character %j in names', (c) => {
    // GIVEN a name holding a C0 or C1 control character
    // WHEN it is checked for any non-free-text landing
    // THEN each refuses it, naming the code point
    for (const landing of [TextLanding.KUBELET, TextLanding.TERRAFORM_NAME, TextLanding.KUBELET_AND_TERRAFORM]) {
      expect(textProblem(`a${c}b`, landing)).toContain(`U+${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')} at position 1`);
    }
  });

  test('allows tab and line feed in free text, and no other control character', () => {
    // GIVEN multi-line free text, and free text with a carriage return or a C1 character
    // WHEN checked as free text
    // THEN only the first passes
    expect(textProblem('one\n\ttwo', TextLanding.FREE_TEXT)).toBeUndefined();
    expect(textProblem('one\r\ntwo', TextLanding.FREE_TEXT)).toContain('U+000D');
    expect(textProblem('one\u0085two', TextLanding.FREE_TEXT)).toContain('U+0085');
  });

  test('allows characters just outside the control ranges', () => {
    // GIVEN a space, a tilde and a non-breaking space (U+0020, U+007E, U+00A0)
    // WHEN checked as a name THEN they pass
    expect(textProblem(' ~\u00a0', TextLanding.KUBELET_AND_TERRAFORM)).toBeUndefined();
  });
});

describe('escapeTerraformTemplate', () => {
  test('doubles the sigil of every "${" and "%{", and nothing else', () => {
    // GIVEN free text with both template sequences, an escaped one and a lone "$"
    // WHEN escaped
    // THEN Terraform would read back exactly the text
    expect(escapeTerraformTemplate('${a} %{b} $$ $x {c}')).toBe('$${a} %%{b} $$ $x {c}');
  });
});

describe('the model applies the policy', () => {
  test('refuses a C1 control character in the profile name, which the README promises none of', () => {
    // GIVEN a profile name with U+0085 (NEXT LINE)
    // WHEN the identity is built
    const error = captureError(propsWith({ profileName: 'payments\u0085api' }));
    // THEN profileName is named with the code point
    expect(error.problems.map((p) => p.field)).toEqual(['profileName']);
    expect(error.message).toContain('U+0085');
  });

  test('refuses a control character other than tab and line feed in the description', () => {
    // GIVEN a description with an escape character
    // WHEN the identity is built
    const error = captureError(propsWith({ description: 'Reads \u001b[2J secrets' }));
    // THEN description is named, and the message escapes the character
    expect(error.problems.map((p) => p.field)).toEqual(['description']);
    expect(error.message).toContain('U+001B');
    expect(error.message).not.toContain('\u001b');
  });

  test('keeps a multi-line description', () => {
    // GIVEN a description over two lines
    // WHEN the identity is built THEN it is kept as written
    expect(new WorkloadIdentity(propsWith({ description: 'Payments API.\nReads secrets.' })).description).toBe('Payments API.\nReads secrets.');
  });

  test('refuses a control character in an acknowledgement reason beyond tab and line feed', () => {
    // GIVEN a reason with a NUL
    // WHEN the identity is built
    const error = captureError(propsWith({ acknowledgements: [{ ruleId: 'IWI-P1', reason: 'reviewed by security\u0000' }] }));
    // THEN the reason is named
    expect(error.problems.map((p) => p.field)).toEqual(['acknowledgements[0].reason']);
  });
});
