// Frameworks that write their output themselves (cdktf's `app.synth()`) are pointed at a private
// temporary folder, and what they wrote is read back into memory; the caller then writes it with
// `writeOutputFolders`, which replaces the real folder as a whole.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

/**
 * Runs `write` with a fresh private folder and returns every file it wrote there, by relative
 * path (`/`-separated, sorted by code unit so the order is the same on every machine). The
 * folder is removed afterwards, whether `write` succeeded or threw.
 */
export function filesWrittenBy(write: (outdir: string) => void): Map<string, string> {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'iwi-render-'));
  try {
    write(outdir);
    const files = new Map<string, string>();
    const read = (dir: string, prefix: string) => {
      for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
        if (entry.isDirectory()) read(path.join(dir, entry.name), `${prefix}${entry.name}/`);
        else files.set(`${prefix}${entry.name}`, fs.readFileSync(path.join(dir, entry.name), 'utf8'));
      }
    };
    read(outdir, '');
    return files;
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}
