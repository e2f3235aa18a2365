// What the kubelet does to `command` and `args` before starting a container: `$(VAR)` becomes
// the value of the container's variable VAR, `$$` becomes `$`, and a reference to a variable
// the container does not define stays as written. See expand.go in kubernetes/kubernetes
// (third_party/forked/golang/expansion, v1.31).
import { text, unknown, Word } from './words';

/** One argv entry after Kubernetes' expansion; a variable set from a source is an unknown part. */
export function expandKubernetes(arg: string, env: ReadonlyMap<string, string | undefined>): Word {
  const out: Word[number][] = [];
  let literal = '';
  for (let i = 0; i < arg.length; i++) {
    // Text up to the next `$` is copied as it is: scripts are long and mostly plain text.
    const dollar = arg.indexOf('$', i);
    if (dollar < 0 || dollar + 1 >= arg.length) {
      literal += arg.slice(i);
      break;
    }
    literal += arg.slice(i, dollar);
    i = dollar;
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
    } else {
      // `$x` is not a Kubernetes reference: both characters stay.
      literal += '$';
    }
  }
  if (literal) out.push(text(literal));
  return out;
}

/**
 * The container's variables as the kubelet sets them: each value may refer to the variables
 * listed before it with `$(VAR)`. A value that refers to one set from a source is unknown.
 */
export function expandEnvironment(env: ReadonlyMap<string, string | undefined>): Map<string, string | undefined> {
  const out = new Map<string, string | undefined>();
  for (const [name, value] of env) {
    if (value === undefined) {
      out.set(name, undefined);
      continue;
    }
    const word = expandKubernetes(value, out);
    out.set(name, word.every((s) => s.kind === 'text') ? word.map((s) => (s as { text: string }).text).join('') : undefined);
  }
  return out;
}
