// The worker that renders synth's Terraform side (src/cli/terraform-worker.ts): large inputs
// start it with a large, bounded heap. Heap settings may change how fast it renders, never what.
// The worker is the built one (lib/cli/synth-worker.js; `npm test` builds first).
import * as path from 'path';
import { workloadDeclarationsFromData } from '../../src/declarations';
import { loadTerraformEngine, renderTerraform } from '../../src/cli/synth';
import { LARGE_INPUT, workerHeap } from '../../src/cli/terraform-worker';

const built = require(path.join(__dirname, '..', '..', 'lib', 'cli', 'terraform-worker.js')) as typeof import('../../src/cli/terraform-worker');

const CRN = 'crn:v1:bluemix:public:containers-kubernetes:us-south:a/0123456789abcdef0123456789abcdef:cq5l0v8d0h4b7f3kq2pg::';
const DATA = {
  identities: Array.from({ length: 6 }, (_, i) => ({
    name: `app-${i}`,
    serviceAccount: { namespace: `team-${i % 2}` },
    clusters: [{ kind: 'IKS', crn: CRN }],
    policies: [{ name: 'read', roles: ['SecretsReader'], resources: { service: 'secrets-manager' } }],
  })),
};

describe('workerHeap', () => {
  test('leaves inputs below LARGE_INPUT identities to V8\'s defaults', () => {
    expect([1, 1000, LARGE_INPUT - 1].map(workerHeap)).toEqual([undefined, undefined, undefined]);
  });

  test('starts the old generation of a large input at 256 MB and bounds it at 512 MB', () => {
    expect([LARGE_INPUT, 10_000].map(workerHeap)).toEqual([{ initialOldMb: 256, maxOldMb: 512 }, { initialOldMb: 256, maxOldMb: 512 }]);
  });
});

describe('the Terraform worker', () => {
  const render = async (identities: number) => {
    const job = built.startTerraformWorker({ source: 'identities.yaml', stack: 'workload-identities', engine: 'cdktf' }).render(DATA, identities);
    const result = await job.result;
    if ('error' in result) throw new Error(result.error);
    return [...result.files];
  };

  test('writes the same files whether started early and given the data later, or started anew for a large input, as this thread renders them', async () => {
    // GIVEN the stack rendered in this thread
    const here = [...renderTerraform(workloadDeclarationsFromData(DATA, 'identities.yaml', { requireWorkload: false }), 'workload-identities', loadTerraformEngine('cdktf'))];
    // WHEN the worker started before the data renders it (V8's defaults), then a worker started
    // anew with the data and a large, bounded heap, as for a large input
    const small = await render(1);
    const large = await render(LARGE_INPUT);
    // THEN all three are the same files, byte for byte
    expect(small).toEqual(here);
    expect(large).toEqual(here);
  });

  test('reports a declaration the Terraform side refuses as an error, not a crash', async () => {
    // GIVEN an entry whose policy names no role
    const bad = { identities: [{ ...DATA.identities[0], policies: [{ name: 'read', roles: [], resources: { service: 'secrets-manager' } }] }] };
    // WHEN the worker renders it
    const result = await built.startTerraformWorker({ source: 'identities.yaml', stack: 's', engine: 'cdktf' }).render(bad, 1).result;
    // THEN the result is an error naming the entry
    expect(result).toEqual({ error: expect.stringContaining('identities[0] ("app-0")') });
  });
});
