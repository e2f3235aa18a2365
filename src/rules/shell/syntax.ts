// The shell parser: mvdan-sh, the JavaScript build of mvdan/sh (gopherjs), which parses
// synchronously as cdk8s validation needs. It ships no types: nodes are read as `any`, by the
// field names of mvdan.cc/sh/v3/syntax. Operators are numbers whose values are not part of its
// API, so they are learnt once by parsing one probe of each.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const sh: any = require('mvdan-sh');

export type Node = any;

export function nodeType(node: Node): string {
  return node ? sh.syntax.NodeType(node) : '';
}

/** The parsed statements of `src` (bash dialect, a superset of POSIX sh), or undefined when it does not parse. */
export function parseScript(src: string): Node[] | undefined {
  try {
    return [...sh.syntax.NewParser().Parse(src, '').Stmts];
  } catch {
    return undefined;
  }
}

/** The source text of a node, from its byte offsets. */
export function sourceOf(src: string, node: Node): string {
  try {
    return Buffer.from(src, 'utf8').subarray(node.Pos().Offset(), node.End().Offset()).toString('utf8');
  } catch {
    return '';
  }
}

function learn<T extends string>(probes: Record<T, string>, pick: (stmt: Node) => number): Record<T, number> {
  const out = {} as Record<T, number>;
  for (const [name, src] of Object.entries(probes) as [T, string][]) out[name] = pick(parseScript(src)![0]);
  return out;
}

let ops: ReturnType<typeof learnAll> | undefined;

function learnAll() {
  return {
    redirect: learn({ in: 'a <f', out: 'a >f', append: 'a >>f', hereString: 'a <<<w', readWrite: 'a <>f', clobber: 'a >|f', all: 'a &>f', allAppend: 'a &>>f' },
      (s) => s.Redirs[0].Op),
    binary: learn({ and: 'a && b', or: 'a || b', pipe: 'a | b', pipeAll: 'a |& b' }, (s) => s.Cmd.Op),
    param: learn({
      removeSmallPrefix: '${x#a}', removeLargePrefix: '${x##a}', removeSmallSuffix: '${x%a}', removeLargeSuffix: '${x%%a}',
      defaultUnsetOrNull: '${x:-a}', defaultUnset: '${x-a}', assignUnsetOrNull: '${x:=a}', assignUnset: '${x=a}',
      errorUnsetOrNull: '${x:?a}', errorUnset: '${x?a}', alternateUnsetOrNull: '${x:+a}', alternateUnset: '${x+a}',
    }, (s) => s.Cmd.Args[0].Parts[0].Exp.Op),
    unaryTest: learn({
      e: '[[ -e f ]]', f: '[[ -f f ]]', r: '[[ -r f ]]', s: '[[ -s f ]]', d: '[[ -d f ]]', w: '[[ -w f ]]', x: '[[ -x f ]]',
      L: '[[ -L f ]]', h: '[[ -h f ]]', b: '[[ -b f ]]', c: '[[ -c f ]]', p: '[[ -p f ]]', S: '[[ -S f ]]', g: '[[ -g f ]]',
      u: '[[ -u f ]]', k: '[[ -k f ]]', O: '[[ -O f ]]', G: '[[ -G f ]]', N: '[[ -N f ]]', a: '[[ -a f ]]',
    }, (s) => s.Cmd.X.Op),
  };
}

/** Operator numbers of this mvdan-sh build. */
export function operators(): ReturnType<typeof learnAll> {
  return (ops ??= learnAll());
}

/** A JavaScript array of a gopherjs slice (or of nothing). */
export function items(value: unknown): Node[] {
  return Array.isArray(value) ? value : [];
}
