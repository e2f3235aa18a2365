// Reads the platform repo's declarations file: identities.yaml (or a .json file), one entry per
// workload identity, each with the identity's fields and a `workload` block for the Kubernetes
// side. Every problem in the file is reported at once, naming the file, the entry and the field.
// The reading (bounded YAML) and the `workload` check are the library's, the same ones the
// `iks-workload-identity synth` command uses.
import * as fs from 'fs';
import * as path from 'path';
import { DeclaredWorkload, MAX_ALIAS_COUNT, readDeclarationsFile, shownPath, WorkloadDeclaration, workloadDeclarationsFromData } from 'iks-workload-identity';

export { MAX_ALIAS_COUNT };

/** What the Kubernetes side runs for an identity: the `workload` block of an entry. */
export type Workload = DeclaredWorkload;

/** One declared identity and its workload. */
export type PlatformIdentity = WorkloadDeclaration;

/** The declarations file the examples read unless told otherwise (argv or PLATFORM_IDENTITIES). */
export function defaultDeclarationsFile(): string {
  // Beside this file when run from source; from build/examples/platform, in examples/platform.
  const candidates = [path.join(__dirname, 'identities.yaml'), path.resolve(__dirname, '..', '..', '..', 'examples', 'platform', 'identities.yaml')];
  return candidates.find((f) => fs.existsSync(f)) ?? candidates[0];
}

/** Reads, parses and validates a declarations file; throws one error listing every problem. */
export function loadDeclarations(file: string): PlatformIdentity[] {
  return platformIdentitiesFromData(readDeclarationsFile(file), shownPath(file));
}

/** Validates parsed declarations (`{ identities: [...] }`); `source` names them in messages. */
export function platformIdentitiesFromData(data: unknown, source: string): PlatformIdentity[] {
  return workloadDeclarationsFromData(data, source);
}
