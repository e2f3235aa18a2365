// Jest's globalSetup: before any test runs, get the programs the runtime suite runs the
// token-fetch script with (busybox, curl) when they are missing, as test/support/program-setup.ts
// explains, saying so on stderr. It only reports: a program it cannot get makes the tests that
// need it fail, with the exact install command (test/support/programs.ts), and no other test.
import * as path from 'path';
import { ensurePrograms } from './program-setup';

const NEEDS_PROGRAMS = ['token-fetch-script.test.ts', 'token-fetch-hostile.test.ts'].map((f) => path.resolve(__dirname, '..', 'runtime', f));

/** Whether the run selects a test file that runs busybox or curl (no pattern: every file). */
function selectsRuntimeTests(config: { testPathPatterns?: unknown }): boolean {
  const raw = config.testPathPatterns as { patterns?: string[] } | string[] | undefined;
  const patterns = Array.isArray(raw) ? raw : raw?.patterns ?? [];
  if (patterns.length === 0) return true;
  return patterns.some((p) => {
    try {
      const re = new RegExp(p, 'i');
      return NEEDS_PROGRAMS.some((f) => re.test(f));
    } catch {
      return true;
    }
  });
}

export default function globalSetup(config: { testPathPatterns?: unknown }): void {
  if (!selectsRuntimeTests(config)) return;
  for (const problem of ensurePrograms().problems) process.stderr.write(`runtime tests: ${problem}\n`);
}
