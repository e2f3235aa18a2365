// cdktf and CDK Terrain capture a complete stack trace for every token they create (Lazy values,
// attribute references, complex lists): `Error.stackTraceLimit` is raised to
// `Number.MAX_SAFE_INTEGER`, the trace formatted at once into strings, and kept on the token
// for one use, the message of a token that fails to resolve (cdktf 0.21.0 and cdktn 0.24.0,
// lib/tokens/private/stack-trace.js). At platform scale that was most of the Terraform side's
// time, and erratic with it (10,000 identities: 9 to 22 s to render, 7 s without), and hundreds
// of MB of strings kept until the stack is written.

/**
 * From now on, stack traces captured onto an object that is not an Error (as the frameworks
 * capture theirs, onto `{ stack: "" }`, then read it once the limit is back) are not formatted:
 * the token keeps an empty trace. Every Error's stack is formatted as before. For a thread that
 * only renders Terraform (the synth worker): a token that fails to resolve is still reported,
 * without the list of frames where it was made.
 */
export function skipTokenStackTraces(): void {
  const previous = Error.prepareStackTrace;
  Error.prepareStackTrace = (error: unknown, frames: NodeJS.CallSite[]) => {
    if (!(error instanceof Error)) return '';
    if (previous) return previous(error, frames);
    // Node's own format: the error, then one "at" line per frame.
    return [String(error), ...frames.map((f) => `    at ${f}`)].join('\n');
  };
}
