// A policy may be scoped by a reference to another object of the same cdktf stack (an instance's
// `guid` attribute), which cdktf hands the model as one string token. Code may do that; a data
// file may not, since a string from YAML that spells a token would resolve to whatever token
// that number names at synthesis.
import { declarationsFromData, DeclarationError, WorkloadIdentity } from '../../src';
import { captureError, validProps } from './fixtures';

const TOKEN = '${TfToken[TOKEN.7]}';

describe('references to objects of the stack', () => {
  test('a whole cdktf string token is accepted as an instance ID in code', () => {
    // GIVEN a policy scoped by a token standing for an instance's GUID
    const props = validProps();
    const policy = { ...props.policies![0], resources: { service: 'secrets-manager', resourceInstanceId: TOKEN } };
    // WHEN the identity is built
    const identity = new WorkloadIdentity({ ...props, policies: [policy] });
    // THEN the token is kept for cdktf to resolve
    expect(identity.policies[0].resources?.resourceInstanceId).toBe(TOKEN);
  });

  test('a token inside other text is refused as a template', () => {
    // GIVEN an instance ID that embeds a token in literal text
    const props = validProps();
    const policy = { ...props.policies![0], resources: { service: 'secrets-manager', resourceInstanceId: `guid-${TOKEN}` } };
    // WHEN the identity is built
    const error = captureError({ ...props, policies: [policy] });
    // THEN the field is named with the template rule
    expect(error.problems.map((p) => p.field)).toEqual(['policies[0].resources.resourceInstanceId']);
    expect(error.problems[0].message).toMatch(/"\$\{" or "%\{"/);
  });

  test('a data file cannot smuggle a token in as an instance ID', () => {
    // GIVEN a data file whose instance ID spells a cdktf token
    const entry = JSON.parse(JSON.stringify(validProps()));
    entry.clusters[0].kind = 'IKS';
    entry.policies[0].resources.resourceInstanceId = TOKEN;
    // WHEN it is loaded
    let thrown: unknown;
    try {
      declarationsFromData({ identities: [entry] }, 'identities.yaml');
    } catch (e) {
      thrown = e;
    }
    // THEN the loader refuses it, naming the field
    expect(thrown).toBeInstanceOf(DeclarationError);
    expect((thrown as DeclarationError).problems.map((p) => p.field)).toEqual(['policies[0].resources.resourceInstanceId']);
  });
});
