// The command analysis was made faster for `synth` and `check` at platform scale (npm run bench):
// one pattern for every token path instead of one per path and word, Kubernetes' expansion
// copying text between dollar signs, answers remembered by their inputs, and the build's seed
// of the token-fetch script's parse. Each must give the answers the slow way gave.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as fc from 'fast-check';
import { analyzeCommand } from '../../src/rules/shell/analyze';
import { expandKubernetes } from '../../src/rules/shell/kubernetes';
import { analyzeContainerCommand, forgetAnalyses, REMEMBERED_ANALYSES, REMEMBERED_TEXTS, rememberedAnalysisCount } from '../../src/rules/shell/remembered';
import { forgetParses, learnOperators, parsedSoFar, parseScriptAnew, parserVersion, readParseSeed } from '../../src/rules/shell/syntax';
import { Chart, Testing } from 'cdk8s';
import { TokenFetchJob } from '../../src/k8s';
import { IWI_K4, IWI_K6 } from '../../src/rules';
import { makeIdentity } from '../k8s/helpers';
import { k8sFindings } from './fixtures';
import { mentionsTokenPath, normalize, text, unknown, Word } from '../../src/rules/shell/words';
import { sourceOf } from '../../src/rules/shell/syntax';

const TOKEN_FILE = '/var/run/secrets/tokens/sa-token';
const TOKENS = { files: [TOKEN_FILE], dirs: ['/var/run/secrets/tokens'] };

/** The check as 0.2.0 first wrote it: one pattern per path. */
function mentionedOnePathAtATime(joined: string, paths: readonly string[]): boolean {
  const escape = (v: string) => v.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  return paths.some((p) => p.length > 1 && new RegExp(`(?<![\\w.:/-])${escape(p)}(?![\\w.-])`).test(joined));
}

/** Kubernetes' expansion as 0.2.0 first wrote it: a character at a time (expand.go, v1.31). */
function expandedOneCharAtATime(arg: string, env: ReadonlyMap<string, string | undefined>): Word {
  const out: Word[number][] = [];
  let literal = '';
  for (let i = 0; i < arg.length; i++) {
    if (arg[i] !== '$' || i + 1 >= arg.length) {
      literal += arg[i];
      continue;
    }
    const next = arg[i + 1];
    if (next === '$') {
      literal += '$';
      i += 1;
    } else if (next === '(') {
      const close = arg.indexOf(')', i + 2);
      if (close < 0) {
        literal += arg.slice(i);
        break;
      }
      const name = arg.slice(i + 2, close);
      if (env.has(name)) {
        const value = env.get(name);
        if (value === undefined) {
          if (literal) out.push(text(literal));
          literal = '';
          out.push(unknown(name === 'IBMCLOUD_CR_TOKEN' || name.endsWith('_CR_TOKEN_FILENAME'), name));
        } else literal += value;
      } else literal += `$(${name})`;
      i = close;
    } else literal += '$';
  }
  if (literal) out.push(text(literal));
  return out;
}

// Texts and paths drawn from the characters that matter to both: path separators, the guard
// characters around a mention, dollar signs and parentheses.
const piece = fc.constantFrom('/', 'a', 'b', '.', '-', ':', '_', ' ', '$', '(', ')', 'X', '@', '=', '/var/run/secrets/tokens', '/sa-token', 'sa-token');
const textOf = (max: number) => fc.array(piece, { maxLength: max }).map((p) => p.join(''));

describe('one pattern for every token path', () => {
  test('says a text mentions a token path exactly when one of the paths alone would', () => {
    fc.assert(fc.property(textOf(12), fc.array(textOf(4), { maxLength: 4 }), fc.array(textOf(4), { maxLength: 3 }), (joined, files, dirs) => {
      // GIVEN any text and any token files and folders
      // WHEN it is checked with the one pattern and with one pattern per path
      // THEN both say the same
      expect(mentionsTokenPath(joined, { files, dirs })).toBe(mentionedOnePathAtATime(joined, [...files, ...dirs]));
    }), { numRuns: 3000 });
  });
});

describe('path normalization', () => {
  test('gives what path.posix.normalize gives, less a trailing slash, for any path', () => {
    const segment = fc.constantFrom('', '.', '..', 'a', 'tokens', 'sa-token', '...', '.a');
    fc.assert(fc.property(fc.boolean(), fc.array(segment, { maxLength: 6 }), fc.boolean(), (absolute, parts, trailing) => {
      // GIVEN any path made of ordinary, empty, "." and ".." segments
      const file = `${absolute ? '/' : ''}${parts.join('/')}${trailing ? '/' : ''}`;
      // WHEN it is normalized THEN it is what the slow way gave
      const slow = path.posix.normalize(file);
      expect(normalize(file)).toBe(slow.length > 1 && slow.endsWith('/') ? slow.slice(0, -1) : slow);
    }), { numRuns: 3000 });
  });
});

describe('source excerpts', () => {
  test('are the bytes between two offsets, in ASCII and in any other text', () => {
    const char = fc.constantFrom('a', ' ', '\n', '$', 'é', '→', '😀');
    fc.assert(fc.property(fc.array(char, { maxLength: 20 }), fc.nat(80), fc.nat(80), (chars, a, b) => {
      // GIVEN a script and two byte offsets into its UTF-8 form
      const src = chars.join('');
      const bytes = Buffer.from(src, 'utf8');
      const [pos, end] = [Math.min(a, b, bytes.length), Math.min(Math.max(a, b), bytes.length)];
      // WHEN the excerpt is taken THEN it decodes those bytes
      expect(sourceOf(src, { pos, end })).toBe(bytes.subarray(pos, end).toString('utf8'));
    }), { numRuns: 2000 });
  });
});

describe("Kubernetes' expansion", () => {
  test('gives the words the character-at-a-time expansion gave, for any text and variables', () => {
    const env = fc.array(fc.tuple(fc.constantFrom('A', 'B', 'IBMCLOUD_CR_TOKEN', 'X_CR_TOKEN_FILENAME', ''), fc.option(textOf(3), { nil: undefined })), { maxLength: 4 });
    fc.assert(fc.property(textOf(16), env, (arg, pairs) => {
      // GIVEN any argument and any variables, some set from a source (undefined)
      const vars = new Map(pairs);
      // WHEN it is expanded both ways THEN the words are equal
      expect(expandKubernetes(arg, vars)).toEqual(expandedOneCharAtATime(arg, vars));
    }), { numRuns: 3000 });
  });
});

describe('remembered analyses', () => {
  beforeEach(() => forgetAnalyses());

  const input = (env: [string, string | undefined][] = [], workingDir?: string) => ({ tokens: TOKENS, env: new Map(env), workingDir });
  const fresh = (argv: string[], i: ReturnType<typeof input>) => analyzeCommand(argv.map((a) => expandKubernetes(a, i.env)), i);

  test.each([
    ['a leak', ['/bin/sh', '-c', `cat ${TOKEN_FILE}`]],
    ['a safe send', ['/bin/sh', '-c', `curl --data-urlencode "cr_token@${TOKEN_FILE}" https://iam.cloud.ibm.com/identity/token`]],
    ['a $(VAR) the kubelet expands', ['/bin/sh', '-c', '$(SCRIPT)']],
  ])('answer %s as a fresh analysis does, the first time and the second', (_label, argv) => {
    // GIVEN a command and its container's variables
    const i = input([['SCRIPT', `head ${TOKEN_FILE}`]]);
    // WHEN it is asked twice THEN both answers equal a fresh analysis of the expanded command
    expect(analyzeContainerCommand(argv, i)).toEqual(fresh(argv, i));
    expect(analyzeContainerCommand(argv, i)).toEqual(fresh(argv, i));
  });

  test('answer anew when only a variable the script reads differs', () => {
    // GIVEN one script whose verdict depends on a variable's value
    const argv = ['/bin/sh', '-c', 'cat "$F"'];
    // WHEN it is asked with a harmless value, then with the token file
    const harmless = analyzeContainerCommand(argv, input([['F', '/etc/hostname']]));
    const leaking = analyzeContainerCommand(argv, input([['F', TOKEN_FILE]]));
    // THEN the second answer is its own: a leak
    expect(harmless.leaks).toEqual([]);
    expect(leaking.leaks).toEqual([expect.objectContaining({ what: expect.stringContaining('cat') })]);
  });

  test('answer anew when only the working folder differs', () => {
    // GIVEN a relative path that is the token file only from the token's folder
    const argv = ['/bin/sh', '-c', 'cat sa-token'];
    // WHEN it is asked from / and from the token folder
    const elsewhere = analyzeContainerCommand(argv, input([], '/'));
    const inside = analyzeContainerCommand(argv, input([], '/var/run/secrets/tokens'));
    // THEN only the second is a leak
    expect(elsewhere.leaks).toEqual([]);
    expect(inside.leaks).toHaveLength(1);
  });

  test('answer anew when only the token paths differ', () => {
    // GIVEN a script reading /etc/token
    const argv = ['/bin/sh', '-c', 'cat /etc/token'];
    // WHEN it is asked with the default token path, then with /etc/token as the token
    const other = analyzeContainerCommand(argv, input());
    const own = analyzeContainerCommand(argv, { tokens: { files: ['/etc/token'], dirs: ['/etc'] }, env: new Map(), workingDir: undefined });
    // THEN only the second is a leak
    expect(other.leaks).toEqual([]);
    expect(own.leaks).toHaveLength(1);
  });

  test('tell a variable set from a source apart from one set to the text "null"', () => {
    // GIVEN a script catting $F, F once from a ConfigMap (unknown) and once the text null
    const argv = ['/bin/sh', '-c', 'cat "$F"'];
    // WHEN both are asked
    const fromSource = analyzeContainerCommand(argv, input([['F', undefined]]));
    const literal = analyzeContainerCommand(argv, input([['F', 'null']]));
    // THEN the unknown value is reported and the literal is not
    expect(fromSource.leaks).toHaveLength(1);
    expect(literal.leaks).toEqual([]);
  });

  test('hand out answers no caller can change', () => {
    // GIVEN an answer with a leak
    const argv = ['/bin/sh', '-c', `cat ${TOKEN_FILE}`];
    const answer = analyzeContainerCommand(argv, input());
    // WHEN a caller tries to empty it
    expect(() => (answer.leaks as unknown[]).splice(0)).toThrow(TypeError);
    // THEN the next caller is still told of the leak
    expect(analyzeContainerCommand(argv, input()).leaks).toHaveLength(1);
  });

  test('never answer one argv with the answer of another when the text table fills halfway through an argv', () => {
    const fill = (prefix: string, count: number) => {
      for (let i = 0; i < count; i++) analyzeContainerCommand([`/app/${prefix}-${i}`], input());
    };
    // GIVEN the text table one short of full, then sh -c reading the token file: its first text
    // takes the last id, and the table fills while its other texts are given theirs
    fill('first', REMEMBERED_TEXTS - 1);
    const leaking = ['sh', '-c', `cat ${TOKEN_FILE}`];
    expect(analyzeContainerCommand(leaking, input()).leaks).toHaveLength(1);
    // WHEN the table fills again and echo takes the id sh had, beside the same two texts
    fill('second', REMEMBERED_TEXTS - 3);
    const harmless = ['echo', '-c', `cat ${TOKEN_FILE}`];
    // THEN echo is answered for itself (0.2.0 at first answered it with sh's leak)
    expect(analyzeContainerCommand(harmless, input())).toEqual(fresh(harmless, input()));
    expect(fresh(harmless, input()).leaks).toEqual([]);
  });

  test(`keep at most ${REMEMBERED_ANALYSES.toLocaleString('en-US')} answers`, () => {
    // GIVEN more distinct questions than are kept
    for (let i = 0; i < REMEMBERED_ANALYSES + 10; i++) analyzeContainerCommand(['/app/server', '--port'], input([['N', String(i)]]));
    // WHEN they have all been asked THEN the oldest were forgotten
    expect(rememberedAnalysisCount()).toBe(REMEMBERED_ANALYSES);
  });
});

describe('the parse seed', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'iwi-seed-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  const write = (name: string, content: unknown) => {
    const file = path.join(dir, name);
    fs.writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
    return file;
  };

  test('is the tree and operators the installed parser gives now', () => {
    // GIVEN the seed written by npm run build
    const seed = readParseSeed(path.join(__dirname, '..', '..', 'lib', 'rules', 'shell', 'parse-seed.json'), parserVersion());
    expect(seed).toBeDefined();
    // WHEN each seeded text is parsed anew THEN the trees and the operator numbers are equal
    for (const { text: script, stmts } of seed!.scripts) expect(JSON.parse(JSON.stringify(parseScriptAnew(script)))).toEqual(stmts);
    expect(seed!.operators).toEqual(learnOperators());
  });

  test('holds every text the rules parse when they judge a rendered token-fetch Job', () => {
    // GIVEN a token-fetch Job as the construct renders it, and no parse made yet
    const chart = new Chart(Testing.app(), 'c');
    new TokenFetchJob(chart, 'J', { identity: makeIdentity() });
    const job = Testing.synth(chart).find((o: any) => o.kind === 'Job');
    forgetAnalyses();
    forgetParses();
    // WHEN IWI-K4 and IWI-K6 judge it (from the sources there is no seed, so each text is parsed)
    expect(k8sFindings(IWI_K4, job)).toEqual([]);
    expect(k8sFindings(IWI_K6, job)).toEqual([]);
    const parsedTexts = parsedSoFar().map((p) => p.text);
    // THEN the build's seed holds each of those texts: the rules never load the parser for it
    const seed = readParseSeed(path.join(__dirname, '..', '..', 'lib', 'rules', 'shell', 'parse-seed.json'), parserVersion());
    expect(parsedTexts.length).toBeGreaterThan(0);
    expect(seed!.scripts.map((s) => s.text)).toEqual(expect.arrayContaining(parsedTexts));
  });

  test('is not used when another version of mvdan-sh made it', () => {
    // GIVEN a seed that names another parser version
    const file = write('other.json', { parser: '0.0.1', operators: {}, scripts: [] });
    // WHEN it is read for the installed version THEN it is ignored
    expect(readParseSeed(file, parserVersion())).toBeUndefined();
  });

  test.each([
    ['not JSON', '{"parser": '],
    ['null', 'null'],
    ['scripts that are not a list', { parser: 'v', operators: {}, scripts: 'x' }],
    ['a script without text', { parser: 'v', operators: {}, scripts: [{ stmts: [] }] }],
    ['no operators', { parser: 'v', scripts: [] }],
  ])('is not used when it is %s', (_label, content) => {
    // GIVEN a damaged seed WHEN it is read THEN it is ignored, not thrown
    expect(readParseSeed(write(`bad-${_label.length}.json`, content), 'v')).toBeUndefined();
  });

  test('is not read when absent', () => {
    // GIVEN no seed file WHEN one is read THEN there is none
    expect(readParseSeed(path.join(dir, 'missing.json'), parserVersion())).toBeUndefined();
  });
});
