// IWI-K4 and the shell's field splitting: "$@" is one field per positional parameter, and an
// unquoted expansion splits at blanks. Until 0.2.0 the analysis joined "$@" into one word, so a
// wrapper function (`run() { "$@"; }; run cat <token file>`) hid the program it ran, and the
// leak passed. Each case below passed IWI-K4 before the fix.
import { IWI_K4, IWI_K6 } from '../../src/rules';
import { job, k8sFindings, TOKEN_FILE } from './fixtures';

const IAM = 'https://iam.cloud.ibm.com/identity/token';
const API_SERVER_TOKEN = '/var/run/secrets/kubernetes.io/serviceaccount/token';

const sh = (script: string, ...args: string[]) => job(['/bin/sh', '-c', script, ...args]);
const messages = (manifest: any) => k8sFindings(IWI_K4, manifest).map((f) => f.message);

describe('IWI-K4 expands "$@" into one field per parameter', () => {
  test.each([
    ['a wrapper function running "$@"', `run() { "$@"; }; run cat ${TOKEN_FILE}`],
    ['a wrapper function running unquoted $@', `run() { $@; }; run cat ${TOKEN_FILE}`],
    ['a wrapper function running "${@}"', `run() { "\${@}"; }; run cat ${TOKEN_FILE}`],
    ['a wrapper running "$@" in the background', `run_bg() { "$@" & wait $!; }; run_bg cat ${TOKEN_FILE}`],
    ['set -- then "$@"', `set -- cat ${TOKEN_FILE}; "$@"`],
    ['a wrapper running timeout "$@"', `run() { timeout 5 "$@"; }; run cat ${TOKEN_FILE}`],
    ['a wrapper running "$*"', `run() { "$*"; }; run cat ${TOKEN_FILE}`],
    ['the parameters of sh -c itself', '"$@"'],
  ])('%s is flagged', (_label, script) => {
    // GIVEN the token file handed to cat through the positional parameters
    const manifest = _label === 'the parameters of sh -c itself' ? sh(script, 'sh', 'cat', TOKEN_FILE) : sh(script);
    // WHEN IWI-K4 runs THEN it names cat
    expect(messages(manifest)).toEqual([expect.stringContaining('gives the token file (or its folder) to cat')]);
  });

  test('shift drops the parameters it shifts before "$@" runs', () => {
    // GIVEN a wrapper that shifts its first argument away, then runs the rest
    // WHEN IWI-K4 runs THEN the program after the shift is the one judged
    expect(messages(sh(`run() { shift; "$@"; }; run label cat ${TOKEN_FILE}`))).toEqual([expect.stringContaining('to cat')]);
    expect(messages(sh(`run() { shift 2; "$@"; }; run a b cat ${TOKEN_FILE}`))).toEqual([expect.stringContaining('to cat')]);
  });

  test('a shift by a count the analysis cannot read still leaves the token file judged', () => {
    // GIVEN a shift by a count from a ConfigMap, then "$@"
    const manifest = sh(`run() { shift "$N"; "$@"; }; run a cat ${TOKEN_FILE}`);
    const c = manifest.spec.template.spec.containers[0];
    c.env = [...c.env, { name: 'N', valueFrom: { configMapKeyRef: { name: 'c', key: 'n' } } }];
    // WHEN IWI-K4 runs THEN the command it cannot name is reported
    expect(messages(manifest)).toEqual([expect.stringContaining('cannot name')]);
  });

  test('a loop over "$@" visits each parameter', () => {
    // GIVEN a function looping over its parameters and reading each
    // WHEN IWI-K4 runs THEN the read of the token file is found
    expect(messages(sh(`each() { for f in "$@"; do cat "$f"; done; }; each /etc/hostname ${TOKEN_FILE}`))).toEqual([expect.stringContaining('to cat')]);
  });

  test('a loop over no parameters at all is not judged as a read of something unknown', () => {
    // GIVEN a loop over "$@" when sh -c was given no parameters
    // WHEN IWI-K4 runs THEN it finds nothing: the body never runs
    expect(messages(sh('for f in "$@"; do cat "$f"; done'))).toEqual([]);
  });
});

describe('IWI-K4 splits a program name that unquoted expansion left with blanks', () => {
  test.each([
    ['a command line in a variable', `c="cat ${TOKEN_FILE}"; $c`],
    ['a program and folder in a variable, the file name after it', 'c="cat /var/run/secrets/tokens"; $c/sa-token'],
    ['"$@" with text before it', `run() { "x$@"; }; run cat ${TOKEN_FILE}`],
  ])('%s is flagged', (_label, script) => {
    // GIVEN the script WHEN IWI-K4 runs THEN the token file handed on is found
    expect(messages(sh(script))).toEqual([expect.stringContaining('gives the token file')]);
  });
});

describe('the safe forms pass through a wrapper', () => {
  test('curl reading the token file itself, run by a "$@" wrapper, passes IWI-K4', () => {
    // GIVEN the library's own pattern: run_bg runs curl in the background with "$@"
    const script = `run_bg() { "$@" & child=$!; wait "$child"; }; run_bg curl -s --data-urlencode "cr_token@${TOKEN_FILE}" ${IAM}`;
    // WHEN IWI-K4 runs THEN it finds nothing
    expect(messages(sh(script))).toEqual([]);
  });

  test('IWI-K6 sees through the wrapper to the file curl sends', () => {
    // GIVEN the API server's token sent to IAM by curl run through "$@"
    const manifest = sh(`run() { "$@"; }; run curl --data-urlencode "cr_token@${API_SERVER_TOKEN}" ${IAM}`);
    // WHEN IWI-K6 runs THEN the send is found
    expect(k8sFindings(IWI_K6, manifest).map((f) => f.ruleId)).toEqual(['IWI-K6']);
  });
});

describe('IWI-K4 follows the rest of what the shell does to words', () => {
  test('an array holding the command, run with "${a[@]}", is flagged', () => {
    // GIVEN a bash array of cat and the token file, run as a command
    // WHEN IWI-K4 runs THEN the command it cannot name is reported
    expect(messages(sh(`a=(cat ${TOKEN_FILE}); "\${a[@]}"`))).toEqual([expect.stringContaining('cannot name')]);
  });

  test('an array of harmless words is not flagged', () => {
    // GIVEN an array that names no token file, echoed
    // WHEN IWI-K4 runs THEN it finds nothing
    expect(messages(sh('a=(x y); echo "${a[@]}"'))).toEqual([]);
  });

  test('a program name split at the characters of an IFS the script sets is flagged', () => {
    // GIVEN IFS=: and a variable holding cat:<token file>
    // WHEN IWI-K4 runs THEN cat is named
    expect(messages(sh(`IFS=:; c="cat:${TOKEN_FILE}"; $c`))).toEqual([expect.stringContaining('to cat')]);
  });

  test('cd - returns to the folder before, so a relative read there is judged from it', () => {
    // GIVEN cd to /tmp, then the token folder, then back and forth with cd -
    // WHEN IWI-K4 runs THEN the relative read in the token folder is flagged
    expect(messages(sh('cd /tmp; cd /var/run/secrets/tokens; cd -; cd -; cat sa-token'))).toEqual([expect.stringContaining('to cat')]);
  });

  test('a brace list that expands to the token folder is flagged', () => {
    // GIVEN bash's {a,b} naming the token folder among others
    // WHEN IWI-K4 runs THEN the read is flagged
    expect(messages(sh('cat /var/run/secrets/{tokens,other}/sa-token'))).toEqual([expect.stringContaining('to cat')]);
  });
});

describe('IWI-K4 on declarations and curl options', () => {
  test.each(['export', 'readonly', 'declare'])('`%s F` keeps the value F was given, which a nested shell then reads', (keyword) => {
    // GIVEN F assigned the token file, then declared again without a value, then read by bash -c
    // WHEN IWI-K4 runs THEN the read is flagged (the bare declaration once emptied F)
    expect(messages(sh(`F=${TOKEN_FILE}; ${keyword} F; bash -c 'cat $F'`))).toEqual([expect.stringContaining('to cat')]);
  });

  test('curl --libcurl while sending the token file is flagged: the C it writes holds the token', () => {
    // GIVEN curl reading the token file itself, and writing --libcurl source
    // WHEN IWI-K4 runs THEN it is flagged, naming the option
    expect(messages(sh(`curl --data-urlencode "cr_token@${TOKEN_FILE}" --libcurl /tmp/c.c ${IAM}`))).toEqual([expect.stringContaining('--libcurl')]);
  });
});

describe('IWI-K4 reads words as the shell does', () => {
  test('a substitution inside arithmetic expansion is followed', () => {
    // GIVEN the token file read by cat inside $(( ))
    // WHEN IWI-K4 runs THEN the read is flagged
    expect(messages(sh(`echo $(( $(cat ${TOKEN_FILE} | wc -c) ))`))).toEqual([expect.stringContaining('cat')]);
  });

  test('a backslash escape the shell removes does not hide the path', () => {
    // GIVEN tok\ens, which the shell reads as tokens
    // WHEN IWI-K4 runs THEN the read is flagged
    expect(messages(sh('cat /var/run/secrets/tok\\ens/sa-token'))).toEqual([expect.stringContaining('to cat')]);
  });

  test('in double quotes only the shell\'s own escapes lose their backslash', () => {
    // GIVEN "tok\ens" in double quotes, which the shell keeps as tok\ens: another file
    // WHEN IWI-K4 runs THEN it finds nothing
    expect(messages(sh('cat "/var/run/secrets/tok\\ens/sa-token"'))).toEqual([]);
  });
});

describe('IWI-K4 on how a container starts its shell', () => {
  test('$0 is the word after the sh -c script', () => {
    // GIVEN sh -c 'cat "$0"' with the token file as the word after the script
    // WHEN IWI-K4 runs THEN the read is flagged
    expect(messages(job(['sh', '-c', 'cat "$0"', TOKEN_FILE]))).toEqual([expect.stringContaining('to cat')]);
  });

  test.each([['-S', `cat ${TOKEN_FILE}`], ['--split-string', `cat ${TOKEN_FILE}`], [`-Scat ${TOKEN_FILE}`]])('env %s runs the command its string holds', (...args) => {
    // GIVEN env splitting a string into the command
    // WHEN IWI-K4 runs THEN the read is flagged
    expect(messages(job(['env', ...args]))).toEqual([expect.stringContaining('to cat')]);
  });
});

test('IWI-K4 follows a trap action written after --', () => {
  // GIVEN trap -- '<read of the token file>' EXIT
  // WHEN IWI-K4 runs THEN the read is flagged
  expect(messages(sh(`trap -- 'cat ${TOKEN_FILE}' EXIT`))).toEqual([expect.stringContaining('to cat')]);
});
