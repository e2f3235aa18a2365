// The synth worker skips formatting the stack traces cdktf records for every token it creates
// (src/cli/token-stack-traces.ts). The Terraform it writes must not change, and errors must
// keep their stacks.
import { captureStackTrace } from 'cdktf/lib/tokens/private/stack-trace';
import { WorkloadDeclaration, workloadDeclarationsFromData } from '../../src/declarations';
import { loadTerraformEngine, renderTerraform } from '../../src/cli/synth';
import { skipTokenStackTraces } from '../../src/cli/token-stack-traces';

const CRN = 'crn:v1:bluemix:public:containers-kubernetes:us-south:a/0123456789abcdef0123456789abcdef:cq5l0v8d0h4b7f3kq2pg::';

function declarations(): WorkloadDeclaration[] {
  const identities = Array.from({ length: 12 }, (_, i) => ({
    name: `app-${i}`,
    serviceAccount: { namespace: `team-${i % 3}` },
    clusters: [{ kind: 'IKS', crn: CRN }],
    ...(i % 4 === 3 ? { trust: 'claim-rule' } : {}),
    policies: [{ name: 'read', roles: ['SecretsReader'], resources: { service: 'secrets-manager' } }],
  }));
  return workloadDeclarationsFromData({ identities }, 'identities.yaml', { requireWorkload: false });
}

describe('skipTokenStackTraces', () => {
  const original = Error.prepareStackTrace;
  afterEach(() => {
    Error.prepareStackTrace = original;
  });

  test('leaves the Terraform JSON byte for byte as it was', () => {
    // GIVEN the files of a stack rendered with the frameworks' stack traces
    const before = renderTerraform(declarations(), 'workload-identities', loadTerraformEngine('cdktf'));
    // WHEN the traces are skipped and the same declarations are rendered again
    skipTokenStackTraces();
    const after = renderTerraform(declarations(), 'workload-identities', loadTerraformEngine('cdktf'));
    // THEN every file is the same
    expect([...after]).toEqual([...before]);
  });

  test('leaves the trace cdktf records for a token empty', () => {
    // GIVEN cdktf's capture returns frames before
    expect(captureStackTrace().length).toBeGreaterThan(0);
    // WHEN the traces are skipped THEN the capture is empty
    skipTokenStackTraces();
    expect(captureStackTrace()).toEqual([]);
  });

  test('keeps the stack of an Error, in Node\'s format', () => {
    // GIVEN traces skipped
    skipTokenStackTraces();
    // WHEN an Error is made
    const stack = new Error('broken').stack ?? '';
    // THEN its stack names the error and the frames
    expect(stack.split('\n')[0]).toBe('Error: broken');
    expect(stack).toMatch(/\n {4}at /);
  });
});
