// IWI-K4 by meaning: the container's command is parsed as the shell runs it. Each leak the
// issue names, variants of it, and the safe forms that must keep passing.
import { IWI_K4 } from '../../src/rules';
import { job, k8sFindings, TOKEN_DIR, TOKEN_FILE } from './fixtures';

const IAM = 'https://iam.cloud.ibm.com/identity/token';

/** A token-fetch Job running `command`, with extra container variables. */
function run(command: string[], env: any[] = [], extra: Record<string, unknown> = {}): any {
  const manifest = job(command);
  const c = manifest.spec.template.spec.containers[0];
  c.env = [...c.env, ...env];
  Object.assign(c, extra);
  return manifest;
}
const sh = (script: string, env: any[] = []) => run(['/bin/sh', '-c', script], env);
const messages = (manifest: any) => k8sFindings(IWI_K4, manifest).map((f) => f.message);
const flagged = (manifest: any) => expect(k8sFindings(IWI_K4, manifest).map((f) => f.ruleId)).toEqual(['IWI-K4']);
const passes = (manifest: any) => expect(messages(manifest)).toEqual([]);

describe('IWI-K4 flags each leak the issue names', () => {
  test('the token file read by another program and piped on', () => {
    // GIVEN base64 reading the token file
    // WHEN IWI-K4 runs THEN it names the program
    expect(messages(sh(`base64 ${TOKEN_FILE} | curl -d @- ${IAM}`))).toEqual([expect.stringContaining('gives the token file (or its folder) to base64')]);
  });

  test('an absolute path to cat', () => {
    // GIVEN /bin/cat given the token file by variable
    // WHEN IWI-K4 runs THEN it is flagged
    flagged(sh('T=$(/bin/cat "${IBMCLOUD_CR_TOKEN#@}"); curl -d "cr_token=$T" ' + IAM));
  });

  test('a quoted path', () => {
    // GIVEN the path in double quotes inside the substitution, split over two quoted parts
    // WHEN IWI-K4 runs THEN it is flagged
    flagged(sh(`curl -d "cr_token=$(cat "${TOKEN_DIR}"'/sa-token')" ${IAM}`));
  });

  test.each([`${TOKEN_DIR}/*`, '/var/run/secrets/tok*/sa-*', '/var/run/secrets/*/sa-token', '/var/run/secrets/tokens/sa-toke[n]'])('a globbed path %s', (glob) => {
    // GIVEN cat of a glob that expands to the token file
    // WHEN IWI-K4 runs THEN it is flagged
    flagged(sh(`cat ${glob} > /tmp/t`));
  });

  test('a path built from variables', () => {
    // GIVEN the path assembled from two shell variables
    // WHEN IWI-K4 runs THEN it is flagged
    flagged(sh('d=/var/run/secrets; f="$d/tokens/sa-token"; t=$(head -c 4096 "$f")\ncurl -d "cr_token=$t" ' + IAM));
  });

  test('a relative path after cd', () => {
    // GIVEN cd into the token folder, then cat sa-token
    // WHEN IWI-K4 runs THEN it is flagged
    flagged(sh(`cd ${TOKEN_DIR} && curl -d "cr_token=$(cat sa-token)" ${IAM}`));
    flagged(sh(`cd /var/run/secrets; cd tokens; cat ./sa-token >/tmp/t`));
  });

  test('xargs building a command line from the token file', () => {
    // GIVEN the path echoed into xargs cat, and xargs reading the file as its arguments
    // WHEN IWI-K4 runs THEN both are flagged
    flagged(sh(`echo ${TOKEN_FILE} | xargs cat`));
    flagged(sh(`xargs -a ${TOKEN_FILE} -I{} curl -d cr_token={} ${IAM}`));
  });

  test('a script carried in a variable and run with eval', () => {
    // GIVEN the leaking script in the container variable SCRIPT, run by eval "$SCRIPT"
    const env = [{ name: 'SCRIPT', value: `curl -d cr_token=$(cat ${TOKEN_FILE}) ${IAM}` }];
    // WHEN IWI-K4 runs THEN it is flagged, reading the script from the variable
    expect(messages(sh('eval "$SCRIPT"', env))).toEqual([expect.stringContaining('reads the token file into a command line with cat')]);
  });

  test('a script carried in a variable and expanded by Kubernetes with $(VAR)', () => {
    // GIVEN args sh -c $(SCRIPT), which the kubelet replaces by the variable's value
    const env = [{ name: 'SCRIPT', value: `cat ${TOKEN_FILE} > /tmp/t` }];
    // WHEN IWI-K4 runs THEN it is flagged
    flagged(run(['sh', '-c', '$(SCRIPT)'], env));
  });

  test('a script carried in a variable and run by a nested sh -c "$SCRIPT"', () => {
    // GIVEN the leaking script in SCRIPT, run by bash -c "$SCRIPT" from the outer shell
    const env = [{ name: 'SCRIPT', value: `t=$(base64 -w0 ${TOKEN_FILE})` }];
    // WHEN IWI-K4 runs THEN it is flagged
    expect(messages(sh('bash -c "$SCRIPT"', env))).toEqual([expect.stringContaining('reads the token file into a command line with base64')]);
  });

  test('a script the analysis cannot read, set from a ConfigMap', () => {
    // GIVEN sh -c "$SCRIPT" where SCRIPT comes from a ConfigMap
    const env = [{ name: 'SCRIPT', valueFrom: { configMapKeyRef: { name: 'scripts', key: 'fetch' } } }];
    // WHEN IWI-K4 runs THEN it says it cannot read it, with the safe form
    const found = messages(run(['sh', '-c', 'eval "$SCRIPT"'], env));
    expect(found).toEqual([expect.stringContaining('runs a script through eval that the analysis cannot read ($SCRIPT)')]);
    expect(found[0]).toContain('curl --data-urlencode "cr_token@<file>"');
  });
});

describe('IWI-K4 flags variants', () => {
  test.each([
    ['$(< file)', `t=$(< ${TOKEN_FILE})`],
    ['backticks with tail', `t=\`tail -n 1 ${TOKEN_FILE}\``],
    ['read from the file', `read -r t < ${TOKEN_FILE}`],
    ['a program given the file as argument', `python3 /app/exchange.py --token-file ${TOKEN_FILE}`],
    ['the folder handed to cp', `cp -r ${TOKEN_DIR} /tmp/`],
    ['a path cut from IBMCLOUD_CR_TOKEN', 'jq -Rr . "${IBMCLOUD_CR_TOKEN#@}"'],
    ['a folder from dirname', `dir=$(dirname ${TOKEN_FILE}); cat "$dir/sa-token"`],
    ['a loop over the folder', `for f in ${TOKEN_DIR}/*; do cat "$f"; done`],
    ['a shell function given the path', `show() { cat "$1"; }; show ${TOKEN_FILE}`],
    ['a here-document substitution', `cat > /tmp/body <<EOF\ncr_token=$(cat ${TOKEN_FILE})\nEOF`],
    ['the path echoed into a pipe', `printf '%s' ${TOKEN_FILE} | xargs -0 cat`],
    ['a script that does not parse', 'curl -d "cr_token=$(cat'],
    ['a nested bash -c', `bash -c 'cat ${TOKEN_FILE} >/tmp/t'`],
    ['an unknown variable handed to cat', 'cat "$TOKEN_PATH"'],
    ['the path inside code given to python -c', `python3 -c "print(open('${TOKEN_FILE}').read())"`],
    ['find from the folder above the token\'s', 'find /var/run/secrets -name sa-token -exec cat {} \\;'],
    ['the path set as a positional parameter', `set -- ${TOKEN_FILE}; cat "$1"`],
    ['curl --trace while sending the file', `curl --trace-ascii - --data-urlencode "cr_token@${TOKEN_FILE}" ${IAM}`],
    ['a file descriptor opened on the token', `exec 3< ${TOKEN_FILE}; read -r t <&3`],
    ['a while loop reading the token', `while read -r l; do echo "$l"; done < ${TOKEN_FILE}`],
  ])('%s', (_label, script) => {
    // GIVEN the script WHEN IWI-K4 runs THEN it is flagged
    flagged(sh(script, [{ name: 'TOKEN_PATH', valueFrom: { configMapKeyRef: { name: 'c', key: 'k' } } }]));
  });

  test.each([
    ['bash -euo pipefail -c', ['bash', '-euo', 'pipefail', '-c', `cat ${TOKEN_FILE} >/tmp/t`]],
    ['busybox sh -ec', ['busybox', 'sh', '-ec', `cat ${TOKEN_FILE} >/tmp/t`]],
    ['env with assignments before cat', ['env', '-i', 'A=1', 'cat', TOKEN_FILE]],
    ['exec cat', ['exec', 'cat', TOKEN_FILE]],
    ['dash -c with the path in a positional parameter', ['dash', '-c', 'cat "$1" >/tmp/t', 'sh', TOKEN_FILE]],
  ])('%s', (_label, argv) => {
    // GIVEN a shell or wrapper started with its own flags WHEN IWI-K4 runs THEN it is flagged
    flagged(run(argv as string[]));
  });

  test('an init container is named as such', () => {
    // GIVEN the leak in an init container
    const manifest = sh('true');
    const spec = manifest.spec.template.spec;
    spec.initContainers = [{ ...spec.containers[0], name: 'prime', command: ['cat', TOKEN_FILE] }];
    // WHEN IWI-K4 runs THEN the message says init container
    expect(messages(manifest)).toEqual([expect.stringContaining('init container "prime" gives the token file')]);
  });

  test('counts further leaks of the same container in one finding, and echoes a short excerpt', () => {
    // GIVEN two leaks and a long command
    const long = `cat ${TOKEN_FILE} ${'/x'.repeat(80)}; head ${TOKEN_FILE}`;
    // WHEN IWI-K4 runs
    const found = messages(sh(long));
    // THEN one finding mentions one more place, with the excerpt cut to 80 characters
    expect(found).toHaveLength(1);
    expect(found[0]).toContain('1 more place in this container');
    const excerpt = JSON.parse(/\((".*?")\)/.exec(found[0])![1]);
    expect(excerpt.length).toBeLessThanOrEqual(80);
  });
});

describe('IWI-K4 passes safe forms', () => {
  test.each([
    ['curl --data-urlencode cr_token@<variable>', `f=${TOKEN_FILE}; curl --data-urlencode "cr_token@$f" ${IAM}`],
    ['curl -d @<file>', `curl -d @${TOKEN_FILE} ${IAM}`],
    ['curl --data-binary @<file>', `curl --data-binary @${TOKEN_FILE} ${IAM}`],
    ['curl -d@<file> glued', `curl -d@${TOKEN_FILE} ${IAM}`],
    ['ibmcloud login --cr-token @<file>', `ibmcloud login --cr-token @${TOKEN_FILE} --profile p`],
    ['stdin into curl reading @-', `curl --data-urlencode cr_token@- ${IAM} < ${TOKEN_FILE}`],
    ['presence tests', `[ -r ${TOKEN_FILE} ] && test -s "${TOKEN_FILE}" && [[ -f ${TOKEN_FILE} ]] && curl --data-urlencode "cr_token@${TOKEN_FILE}" ${IAM}`],
    ['a relative path after cd, read by curl', `cd ${TOKEN_DIR} && curl --data-urlencode cr_token@sa-token ${IAM}`],
    ['the path in a message', `[ -r "$F" ] || { echo "no token at $F" >&2; exit 1; }`],
    ['a script in a variable that is safe', 'sh -c "$SAFE"'],
    ['an escaped $$(VAR), which Kubernetes leaves as $(VAR)', 'echo $$(LEAK)'],
    ['unrelated cat', 'cat /etc/os-release'],
  ])('%s', (_label, script) => {
    // GIVEN the script WHEN IWI-K4 runs THEN it finds nothing
    passes(sh(script, [
      { name: 'F', value: TOKEN_FILE },
      { name: 'SAFE', value: `curl --data-urlencode "cr_token@${TOKEN_FILE}" ${IAM}` },
      { name: 'LEAK', value: `cat ${TOKEN_FILE}` },
    ]));
  });

  test('a plain program with arguments that do not name the token', () => {
    // GIVEN a server binary with flags
    // WHEN IWI-K4 runs THEN it finds nothing
    passes(run(['/app/server', '--port', '8080', '--config', '/etc/app/config.yaml']));
  });

  test('a container without any token is not held to what it cannot read', () => {
    // GIVEN a sidecar with no token mount and no IBM configuration catting a file from a ConfigMap variable
    const manifest = sh('cat "$CONF"', [{ name: 'CONF', valueFrom: { configMapKeyRef: { name: 'c', key: 'k' } } }]);
    const c = manifest.spec.template.spec.containers[0];
    c.env = c.env.filter((e: any) => e.name === 'CONF');
    c.volumeMounts = [];
    // WHEN IWI-K4 runs THEN it finds nothing
    passes(manifest);
  });
});

describe('the shell parser', () => {
  test('leaves the global require as it was when it loads', () => {
    // GIVEN the global require before any script is parsed (gopherjs assigns it when it loads)
    const before = Object.getOwnPropertyDescriptor(globalThis, 'require');
    // WHEN a script is parsed
    jest.isolateModules(() => {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      require('../../src/rules/shell/syntax').shellSyntax();
    });
    // THEN the global require is unchanged
    expect(Object.getOwnPropertyDescriptor(globalThis, 'require')).toEqual(before);
  });
});

describe('IWI-K4 follows what the kubelet does to variables', () => {
  test('a variable built from an earlier one with $(VAR), then read by cat', () => {
    // GIVEN DIR, then F=$(DIR)/sa-token, and cat "$F"
    const env = [{ name: 'DIR', value: TOKEN_DIR }, { name: 'F', value: '$(DIR)/sa-token' }];
    // WHEN IWI-K4 runs THEN it is flagged
    flagged(sh('cat "$F" > /tmp/t', env));
  });

  test('a script from a ConfigMap expanded by Kubernetes into sh -c', () => {
    // GIVEN sh -c $(SCRIPT) with SCRIPT from a ConfigMap
    const env = [{ name: 'SCRIPT', valueFrom: { configMapKeyRef: { name: 'scripts', key: 'fetch' } } }];
    // WHEN IWI-K4 runs THEN it says it cannot read the script
    expect(messages(run(['sh', '-c', '$(SCRIPT)'], env))).toEqual([expect.stringContaining('runs a script through sh -c that the analysis cannot read ($SCRIPT)')]);
  });
});

describe('IWI-K4 on relative paths without a working directory', () => {
  test('flags a path written to the token file, saying what would settle it', () => {
    // GIVEN cat of tokens/sa-token in a container without workingDir
    // WHEN IWI-K4 runs
    // THEN it may be the token file: the message asks for workingDir
    expect(messages(sh('cat tokens/sa-token'))).toEqual([expect.stringContaining('may give the token file to cat (a relative path, and the manifest does not say where the container starts: set workingDir)')]);
  });

  test('resolves it against workingDir when the container sets one', () => {
    // GIVEN the same command run from /srv
    // WHEN IWI-K4 runs
    // THEN /srv/tokens/sa-token is not the token: it passes
    passes(run(['sh', '-c', 'cat tokens/sa-token'], [], { workingDir: '/srv' }));
    // AND from /var/run/secrets it is flagged for certain
    expect(messages(run(['sh', '-c', 'cat tokens/sa-token'], [], { workingDir: '/var/run/secrets' }))).toEqual([expect.stringContaining('gives the token file (or its folder) to cat')]);
  });

  test('does not take a sed expression ending in the token\'s name for a path', () => {
    // GIVEN the token file called p and sed "s/x/p"
    const manifest = sh('sed -n "s/x/p" /etc/hosts');
    manifest.spec.template.spec.volumes = [{ name: 'sa-token', projected: { sources: [{ serviceAccountToken: { audience: 'iam', path: 'p' } }] } }];
    // WHEN IWI-K4 runs THEN it finds nothing
    passes(manifest);
  });
});
