// The shipped token-fetch script must pass IWI-K4 and IWI-K6 wherever a valid declaration puts
// the token (src/model/token.ts: any absolute folder but / and /tmp, a file name of letters,
// digits, ".", "_" and "-"): the words of the script must never be taken for the token's path.
import * as fc from 'fast-check';
import { IWI_K4, IWI_K6, runRules } from '../../src/rules';
import { tokenFetchScript } from '../../src/k8s/token-fetch-job';
import { job } from './fixtures';

const segment = fc.string({ unit: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyzAB0123456789._-'), minLength: 1, maxLength: 10 })
  .filter((s) => s !== '.' && s !== '..');
const mountPath = fc.oneof(
  fc.array(segment, { minLength: 1, maxLength: 4 }).map((parts) => `/${parts.join('/')}`),
  fc.constantFrom('/dev', '/usr/bin', '/var/run', '/var/run/secrets', '/a', '/p', '/etc', '/proc', '/tmp/t'),
).filter((p) => p !== '/tmp');
const fileName = fc.oneof(segment, fc.constantFrom('-w', '1', 'p', 'token', 'null', 'curl', 'sh', 's', 'sa-token'));

describe('the shipped token-fetch script', () => {
  test('passes IWI-K4 and IWI-K6 wherever a valid declaration mounts the token', () => {
    const script = tokenFetchScript();
    fc.assert(fc.property(mountPath, fileName, (dir, file) => {
      // GIVEN the Job with the token projected for iam at <dir>/<file>
      const manifest = job(['/bin/sh', '-c', script]);
      const spec = manifest.spec.template.spec;
      spec.volumes = [{ name: 'sa-token', projected: { sources: [{ serviceAccountToken: { audience: 'iam', expirationSeconds: 3600, path: file } }] } }];
      const c = spec.containers[0];
      c.volumeMounts = [{ name: 'sa-token', mountPath: dir, readOnly: true }];
      c.env = [
        { name: 'IBMCLOUD_CR_TOKEN', value: `@${dir}/${file}` },
        { name: 'IBMCLOUD_CR_PROFILE', value: 'payments-api' },
        { name: 'TOKEN_FETCH_URL', value: 'https://iam.cloud.ibm.com/identity/token' },
      ];
      // WHEN IWI-K4 and IWI-K6 run
      // THEN neither finds anything
      expect(runRules({ kubernetes: [{ file: 'k.yaml', manifest }] }, [IWI_K4, IWI_K6]).findings).toEqual([]);
    }), { numRuns: 300 });
  });
});
