// The Terraform side of `iks-workload-identity synth` renders in a worker thread
// (synth-worker.js) while this thread renders the Kubernetes side: on two cores the wall time is
// about that of the slower side, not the sum. This file starts the worker with the heap settings
// that keep it fast and bounded, and turns what it posts back into a result.
import * as path from 'path';
import type { EngineName } from './synth';

export type WorkerResult = { files: Map<string, string> } | { error: string };

/** A worker rendering the Terraform side; `cancel` ends it (its result is then an error). */
export interface TerraformJob {
  readonly result: Promise<WorkerResult>;
  cancel(): Promise<unknown>;
}

/** From this many identities on, the worker starts with a large heap and runs within a bound (`workerHeap`). */
export const LARGE_INPUT = 2000;

/**
 * The heap the worker starts with and the most it may grow to, in MB, for `identities`
 * identities; undefined: V8's defaults (smaller inputs, where they are fastest).
 *
 * cdktf's synthesis of a large stack makes garbage several times the size of what it keeps (at
 * 10,000 identities about 140 MB live, 0.8 GB made between two full collections). Started with
 * V8's small default heap, the worker kept collecting the young generation and marking the old
 * one while cdktf ran, and took 15 to 20 s instead of 6 s (npm run bench, Node 20): the same
 * render was fast only in a worker whose heap some earlier work had already grown. Starting the
 * old generation at 256 MB makes it fast every time; the 512 MB bound keeps it there, so both
 * sides of 10,000 identities render at once under 1 GB (a bound alone, without the start,
 * collected so often that the render took 25 s).
 */
export function workerHeap(identities: number): { initialOldMb: number; maxOldMb: number } | undefined {
  return identities >= LARGE_INPUT ? { initialOldMb: 256, maxOldMb: 512 } : undefined;
}

/**
 * A worker started before the declarations file is read, so the engine loads while this thread
 * reads and parses the file; `render` then gives it the parsed data.
 */
export interface EarlyTerraformWorker {
  render(data: unknown, identities: number): TerraformJob;
  cancel(): Promise<unknown>;
}

/**
 * Starts the Terraform worker for `options` before the data is known. The worker validates the
 * data itself (this thread reports the problems) and only returns files: it writes nothing, so
 * a failure or a kill leaves every folder as it was. A large input (`workerHeap`) is given to a
 * worker started anew, with the heap it needs (a heap is sized when its worker starts), and the
 * early one is ended.
 */
export function startTerraformWorker(options: TerraformJobOptions): EarlyTerraformWorker {
  const early = newWorker(options, undefined, undefined);
  // Until render() listens, a failure of the early worker is only remembered: render() then
  // starts another, whose failure is reported.
  let earlyEnded = false;
  early.on('error', () => undefined);
  early.once('exit', () => {
    earlyEnded = true;
  });
  return {
    render: (data, identities) => {
      const heap = workerHeap(identities);
      if (!heap) {
        if (earlyEnded) return job(newWorker(options, data, undefined), () => newWorker(options, data, undefined), false);
        early.postMessage({ data });
        return job(early, () => newWorker(options, data, undefined), false);
      }
      void early.terminate();
      startWorkersWithOldSpace(heap.initialOldMb);
      return job(newWorker(options, data, heap.maxOldMb), () => newWorker(options, data, undefined), true);
    },
    cancel: () => early.terminate(),
  };
}

/** What the worker needs besides the declarations. */
export interface TerraformJobOptions {
  readonly source: string;
  readonly stack: string;
  readonly engine: EngineName;
}

type WorkerThread = import('worker_threads').Worker;

function newWorker(options: TerraformJobOptions, data: unknown, maxOldMb: number | undefined): WorkerThread {
  const { Worker } = require('worker_threads') as typeof import('worker_threads');
  return new Worker(path.join(__dirname, 'synth-worker.js'), {
    workerData: { source: options.source, stack: options.stack, engine: options.engine, ...(data !== undefined ? { data } : {}) },
    ...(maxOldMb !== undefined ? { resourceLimits: { maxOldGenerationSizeMb: maxOldMb } } : {}),
  });
}

/** The result of `first`; a bounded worker that runs out of memory is run again by `unbounded()`. */
function job(first: WorkerThread, unbounded: () => WorkerThread, bounded: boolean): TerraformJob {
  let cancelled = false;
  let worker = first;
  const once = (w: WorkerThread) => new Promise<WorkerResult | 'out of memory'>((resolve) => {
    w.once('message', (m: { files?: [string, string][]; error?: string }) => resolve(m.files ? { files: new Map(m.files) } : { error: m.error ?? 'the worker gave no result' }));
    w.once('error', (e: NodeJS.ErrnoException) => resolve(e.code === 'ERR_WORKER_OUT_OF_MEMORY' && bounded && !cancelled ? 'out of memory' : { error: e.message }));
    w.once('exit', (code) => resolve({ error: `the worker ended (exit ${code}) without a result` }));
  });
  const result = once(worker).then((r) => {
    if (r !== 'out of memory') return r;
    worker = unbounded();
    return once(worker).then((again) => (again === 'out of memory' ? { error: 'out of memory' } : again));
  });
  return {
    result,
    cancel: () => {
      cancelled = true;
      return worker.terminate();
    },
  };
}

/**
 * Makes the old generation of isolates created from now on start at `mb` (V8's
 * --initial-old-space-size). V8 reads it when a worker's heap is set up; this thread's heap is
 * set up already and keeps its size. Node's Worker takes no V8 flag of its own (its execArgv
 * refuses them) and no initial size among its resourceLimits, so the flag is set for the
 * process. Node warns that flags changed at run time may behave unpredictably; this one is only
 * read when an isolate's heap is set up, so it affects heaps made afterwards and no other.
 * Should a Node version ignore it, the worker is slower, never wrong: it sizes memory, not output.
 */
function startWorkersWithOldSpace(mb: number): void {
  const v8 = require('v8') as typeof import('v8');
  v8.setFlagsFromString(`--initial-old-space-size=${mb}`);
}
