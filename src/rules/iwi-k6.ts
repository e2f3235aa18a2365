import * as path from 'path';
import { IAM_AUDIENCE } from '../model/token';
import { Facts } from './facts';
import { ibmConfigOf, tokenFilesOf } from './pod-token';
import { analyzeContainerCommand } from './shell/remembered';
import { expandEnvironment } from './shell/kubernetes';
import { Observation, Rule } from './types';

/** Where the kubelet mounts the API server's token when automountServiceAccountToken is on. */
export const API_SERVER_TOKEN_DIR = '/var/run/secrets/kubernetes.io/serviceaccount';
export const API_SERVER_TOKEN_FILE = `${API_SERVER_TOKEN_DIR}/token`;

export const IWI_K6: Rule = {
  id: 'IWI-K6',
  severity: 'error',
  title: 'A token for the API server sent to IAM',
  explanation: 'The automounted service-account token (/var/run/secrets/kubernetes.io/serviceaccount/token), '
    + 'and any projected token without audience "iam", is a credential for the Kubernetes API server. '
    + 'IAM refuses it, and sending it out of the cluster hands whoever reads the request the power to act as the '
    + 'pod against the API server.',
  fix: 'Project a token for audience "iam" (serviceAccountToken with audience: iam) and send that file to IAM; '
    + 'leave automountServiceAccountToken off.',
  target: { side: 'kubernetes' },
  check(facts: Facts): Observation[] {
    const out: Observation[] = [];
    for (const w of facts.kubernetes?.workloads ?? []) {
      for (const c of w.containers) {
        const what = `${c.init ? 'init container' : 'container'} "${c.name}"`;
        const report = (message: string) => out.push({ object: w.object, file: w.file, acknowledgements: w.acknowledgements, message });
        for (const r of ibmConfigOf(c).reads) {
          if (r.file === API_SERVER_TOKEN_DIR || r.file.startsWith(`${API_SERVER_TOKEN_DIR}/`)) {
            report(`${what} hands IAM the API server's own token (${r.variable}: ${r.file}); project a token for audience iam and name that file`);
          }
        }
        if (c.argv.length === 0) continue;
        // Command lines that send a token to IAM: which of the files they may send are not for IAM?
        const notForIam = [...tokenFilesOf(w, c)].filter(([, s]) => s.audience !== IAM_AUDIENCE).map(([f]) => f);
        const files = [API_SERVER_TOKEN_FILE, ...notForIam];
        const { sends } = analyzeContainerCommand(c.argv, {
          tokens: { files, dirs: [...new Set(files.map((f) => path.posix.dirname(f)))] }, env: expandEnvironment(c.env), workingDir: c.workingDir,
        });
        if (sends.length > 0) {
          report(`${what} sends a token that is not for IAM to IAM (${JSON.stringify(sends[0])}): the API server's token or one projected `
            + 'without audience iam; send the file of a token projected for audience iam');
        }
      }
    }
    return out;
  },
};
