import { IAM_AUDIENCE } from '../model/token';
import { Facts, Workload } from './facts';
import { ibmConfigOf, tokenFilesOf } from './pod-token';
import { Observation, Rule } from './types';

export const IWI_K1: Rule = {
  id: 'IWI-K1',
  severity: 'error',
  title: 'Projected token for IAM without audience "iam"',
  explanation: 'IAM accepts only service-account tokens minted for the audience "iam". Without an '
    + 'audience the kubelet mints the token for the API server, which IAM refuses, and a token '
    + 'the API server accepts should not leave the cluster.',
  fix: 'Set audience: iam on the serviceAccountToken source the IBM SDK or CLI reads.',
  target: { side: 'kubernetes' },
  check(facts: Facts): Observation[] {
    return (facts.kubernetes?.workloads ?? []).flatMap(check);
  },
};

function check(w: Workload): Observation[] {
  const seen = new Set<string>();
  const out: Observation[] = [];
  for (const c of w.containers) {
    const files = tokenFilesOf(w, c);
    const config = ibmConfigOf(c);
    const reads = config.reads.map((r) => ({ file: r.file, by: r.variable }));
    const first = config.defaultFiles.find((f) => files.has(f));
    if (first) reads.push({ file: first, by: 'where IBM\'s SDKs look' });
    for (const read of reads) {
      const s = files.get(read.file);
      if (!s || s.audience === IAM_AUDIENCE || seen.has(s.key)) continue;
      seen.add(s.key);
      const audience = s.audience === undefined ? 'no audience (so the API server\'s)' : `audience ${JSON.stringify(s.audience)}`;
      out.push({
        object: w.object, file: w.file, acknowledgements: w.acknowledgements,
        message: `volume "${s.volume}" projects the token that container "${c.name}" hands to IAM (${read.by}: ${read.file}) with ${audience}; IAM refuses it: set audience: iam`,
      });
    }
  }
  return out;
}
