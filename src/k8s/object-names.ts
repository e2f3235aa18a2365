// Two objects of one kind, namespace and name overwrite each other when applied: the second
// silently replaces the first. The library's constructs register what they emit here, per
// construct tree (one cdk8s App), and a repeated object fails `app.synth()` in validation,
// before any file is written, naming both constructs.
import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';

/** Per construct tree: `<kind>/<namespace>/<name>` to the path of the construct that emits it. */
const EMITTED = new WeakMap<Construct, Map<string, string>>();

/**
 * Records the object `construct` emits through `apiObject`; if another construct of the same
 * tree already emits that kind, namespace and name, `construct` fails validation naming both.
 * Names and namespaces are fixed when an ApiObject is created, so construction is the time.
 */
export function registerObjectName(construct: Construct, apiObject: ApiObject): void {
  const root = construct.node.root;
  let emitted = EMITTED.get(root);
  if (!emitted) EMITTED.set(root, (emitted = new Map()));
  const namespace = apiObject.metadata.namespace ?? '';
  const key = `${apiObject.kind}/${namespace}/${apiObject.name}`;
  const other = emitted.get(key);
  if (other === undefined) {
    emitted.set(key, construct.node.path);
    return;
  }
  const shown = `${apiObject.kind} ${namespace ? `${namespace}/` : ''}${apiObject.name}`;
  construct.node.addValidation({
    validate: () => [`"${construct.node.path}" emits ${shown}, which "${other}" emits already; applied, one would silently replace the other, so give one of them another name (metadata.name, or a TokenFetchJob's name)`],
  });
}
