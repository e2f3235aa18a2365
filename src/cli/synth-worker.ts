// The Terraform side of `iks-workload-identity synth`, in a worker thread: validates the parsed
// declarations (the main thread reports their problems) and renders the stack, then posts the
// files back. It writes no output folder. The declarations come with the worker's data, or, for
// a worker started before the file was read, in the first message: the engine loads meanwhile.
import { parentPort, workerData } from 'worker_threads';
import { workloadDeclarationsFromData } from '../declarations/workload';
import { EngineName, loadTerraformEngine, renderTerraform } from './synth';
import { skipTokenStackTraces } from './token-stack-traces';

skipTokenStackTraces();

const { source, stack, engine } = workerData as { source: string; stack: string; engine: EngineName };

function render(data: unknown): void {
  try {
    const declarations = workloadDeclarationsFromData(data, source, { requireWorkload: false });
    const files = renderTerraform(declarations, stack, loadTerraformEngine(engine));
    parentPort!.postMessage({ files: [...files] });
  } catch (e) {
    parentPort!.postMessage({ error: (e as Error)?.message ?? String(e) });
  }
}

if ('data' in workerData) {
  render(workerData.data);
} else {
  parentPort!.once('message', (m: { data: unknown }) => render(m.data));
  // Loaded while the main thread reads the file; a failure here is reported when the data comes.
  try {
    loadTerraformEngine(engine);
  } catch {
    // render() loads it again and reports the error.
  }
}
