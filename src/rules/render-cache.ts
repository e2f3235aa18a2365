/**
 * Keeps a workload's synthesis cheap although its validation renders it to run the rules.
 *
 * cdk8s validates the whole app again for every chart it writes, so a workload is validated
 * once per chart in the app, and then written once. This cache makes that one render and one
 * verdict per synchronous synthesis:
 *
 * - the verdict (conflicts and rule errors) is computed once and reused until the next
 *   microtask, when every synchronous synthesis has ended;
 * - the render made for the rules is handed to the write, once, if the workload's `key` (what
 *   can change after construction: containers, mounts, variables, volumes) still matches;
 *   otherwise the write renders anew, so what is written is always current. A workload changed
 *   after a validation within the same synchronous turn is therefore written as it is, but
 *   keeps the verdict already given; `iks-workload-identity check` judges the written output.
 */
export class SynthRenderCache {
  private verdictOfTurn?: string[];
  private render?: { key: string; manifest: any };

  constructor(private readonly renderManifest: () => any) {}

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

  /** Renders the workload and runs `check` on it, keeping the render for the write. */
  public check(key: string, check: (manifest: any) => string[]): string[] {
    const manifest = this.renderManifest();
    // The check runs before anyone else holds the manifest, so it sees it as rendered.
    const errors = check(manifest);
    this.render = { key, manifest };
    return errors;
  }

  /** The manifest to write: the validation's render if still current, else a new one. */
  public manifest(key: () => string): any {
    const kept = this.render;
    this.render = undefined;
    return kept !== undefined && kept.key === key() ? kept.manifest : this.renderManifest();
  }
}
