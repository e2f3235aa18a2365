/**
 * Keeps a workload's synthesis cheap although its validation renders it to run the rules.
 *
 * cdk8s validates the whole app again for every chart it writes, so a workload is validated
 * once per chart in the app, and then written once. This cache makes that one render and one
 * verdict per synchronous synthesis:
 *
 * - the verdict (conflicts and rule errors) is computed once and reused until the next
 *   microtask, when every synchronous synthesis has ended;
 * - the render made for the rules is handed to the write, once, if the workload is unchanged
 *   since (same key); otherwise the write renders anew, so what is written is always current.
 *   A workload changed after a validation within the same synchronous turn is therefore
 *   written as it is, but keeps the verdict already given; `iks-workload-identity check`
 *   judges the written output.
 *
 * What "unchanged" means depends on the source. cdk8s-plus objects render lazily from state
 * read cheaply through their API (`key`). Other objects (L1 classes, `Include`, `Helm`) have no
 * such state to read, so their own render, before the identity is added, is the key: one
 * render of the object (cheap beside the identity's work and the rules) instead of guessing.
 */
export interface RenderSource {
  /** The object's manifest as cdk8s renders it, before the identity is added: a fresh object. */
  raw(): any;
  /** The manifest to write, made from a fresh `raw()` (which it may change). */
  complete(raw: any): any;
  /** What can change on the object after construction, when it can be read without a render. */
  key?(): string;
}

export class SynthRenderCache {
  private verdictOfTurn?: string[];
  private render?: { key: string; manifest: any };

  constructor(private readonly source: RenderSource) {}

  /**
   * The validation verdict of this synchronous turn, computed by `compute` once while it passes.
   * A failing verdict is not kept: it stops the synthesis anyway, and a synthesis retried after
   * a fix in the same turn must not fail on it.
   */
  public verdict(compute: () => string[]): string[] {
    if (this.verdictOfTurn !== undefined) return this.verdictOfTurn;
    const verdict = compute();
    if (verdict.length === 0) {
      this.verdictOfTurn = verdict;
      void Promise.resolve().then(() => {
        this.verdictOfTurn = undefined;
        this.render = undefined;
      });
    }
    return verdict;
  }

  /**
   * Renders the object, asks `conflicts` about the raw render and, when it finds none, runs
   * `check` on the completed manifest, which is kept for the write.
   */
  public check(conflicts: (raw: any) => string[], check: (manifest: any) => string[]): string[] {
    const raw = this.source.raw();
    const key = this.keyOf(raw);
    const problems = conflicts(raw);
    if (problems.length > 0) return problems;
    const manifest = this.source.complete(raw);
    // The check runs before anyone else holds the manifest, so it sees it as rendered.
    const errors = check(manifest);
    this.render = { key, manifest };
    return errors;
  }

  /** The manifest to write: the validation's render if still current, else a new one. */
  public manifest(): any {
    const kept = this.render;
    this.render = undefined;
    if (this.source.key) {
      return kept !== undefined && kept.key === this.source.key() ? kept.manifest : this.source.complete(this.source.raw());
    }
    const raw = this.source.raw();
    return kept !== undefined && kept.key === JSON.stringify(raw) ? kept.manifest : this.source.complete(raw);
  }

  private keyOf(raw: any): string {
    return this.source.key ? this.source.key() : JSON.stringify(raw);
  }
}
