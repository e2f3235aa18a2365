// The Terraform side of `iks-workload-identity synth`, in a worker thread: validates the parsed
// declarations (the main thread reports their problems) and renders the stack, then posts the
// files back. It writes no output folder.
import { parentPort, workerData } from 'worker_threads';
import { workloadDeclarationsFromData } from '../declarations/workload';
import { EngineName, loadTerraformEngine, renderTerraform } from './synth';
import { skipTokenStackTraces } from './token-stack-traces';

skipTokenStackTraces();

const { data, source, stack, engine } = workerData as { data: unknown; source: string; stack: string; engine: EngineName };
try {
  const declarations = workloadDeclarationsFromData(data, source, { requireWorkload: false });
  const files = renderTerraform(declarations, stack, loadTerraformEngine(engine));
  parentPort!.postMessage({ files: [...files] });
} catch (e) {
  parentPort!.postMessage({ error: (e as Error)?.message ?? String(e) });
}
