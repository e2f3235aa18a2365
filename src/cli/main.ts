#!/usr/bin/env node
// `iks-workload-identity check`: the rules over synthesized or hand-written outputs, including
// the cross-side rules that no single synthesis can run. Exit 0: no open error; 1: open
// errors; 2: usage or read error, or nothing to check. Results go to stdout, problems to stderr.
import * as fs from 'fs';
import * as path from 'path';
import { DEFAULT_MAX_FILE_SIZE } from '../decode/files';
import { formatFinding, runRules } from '../rules/engine';
import { objectName } from '../rules/facts';
import { ALL_RULES } from '../rules/packs';
import { Finding } from '../rules/types';
import { DeclarationError } from '../declarations/identities-from-data';
import { OutputError } from '../output/atomic-output';
import { parse, SetupError, UsageError } from './args';
import { readDocuments, ReadError } from './read';
import { toSarif } from './sarif';

const USAGE = 'usage: iks-workload-identity <command> [options]; iks-workload-identity <command> --help for its options\n\n'
  + 'commands:\n  synth   writes the Kubernetes manifests and the Terraform JSON of a declarations file (identities.yaml)\n'
  + '  check   runs every rule over Kubernetes manifests and Terraform configuration\n  rules   lists the rules';

const CHECK_USAGE = `usage: iks-workload-identity check [--k8s <dir>] [--terraform <dir>] [--no-k8s] [--no-terraform]
                                  [--format text|json|sarif] [--max-file-size <bytes>]
                                  [--max-findings-per-object <n>]

Runs every rule over the Kubernetes manifests (*.yaml, *.yml, *.json) under --k8s (a folder or
one file; default: dist) and the Terraform configuration (*.tf, *.tf.json; each folder one
module) under --terraform (default: cdktf.out). --no-k8s or --no-terraform skips a side (and the rules comparing both).

  --format                    text (default), json, or sarif (SARIF 2.1.0, for code scanning)
  --max-file-size             refuse files larger than this many bytes (default: ${DEFAULT_MAX_FILE_SIZE})
  --max-findings-per-object   print at most this many findings per object (default: 20); the
                              rest are counted, and still decide the exit status
  -h, --help                  print this help

exit status: 0 no open error, 1 errors found, 2 usage or read error, or nothing to check`;

const RULES_USAGE = `usage: iks-workload-identity rules

Lists every rule: its ID, severity, what it catches, why, and the fix.`;


type Format = 'text' | 'json' | 'sarif';

interface CheckOptions {
  readonly k8s?: string;
  readonly terraform?: string;
  readonly format: Format;
  readonly maxFileSize: number;
  readonly maxFindingsPerObject: number;
}

function positiveInteger(flag: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!/^\d+$/.test(value) || Number(value) < 1 || !Number.isSafeInteger(Number(value))) {
    throw new UsageError(`${flag} is a whole number of at least 1, not ${JSON.stringify(value.slice(0, 40))}`, CHECK_USAGE);
  }
  return Number(value);
}

function parseCheckArgs(args: string[]): CheckOptions | 'help' {
  const v = parse(args, {
    k8s: { type: 'string' }, terraform: { type: 'string' },
    'no-k8s': { type: 'boolean' }, 'no-terraform': { type: 'boolean' },
    format: { type: 'string' }, 'max-file-size': { type: 'string' }, 'max-findings-per-object': { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  }, CHECK_USAGE);
  if (v.help) return 'help';
  for (const flag of ['k8s', 'terraform', 'format'] as const) {
    if (v[flag] === '') throw new UsageError(`--${flag} needs a value`, CHECK_USAGE);
  }
  const format = v.format ?? 'text';
  if (format !== 'text' && format !== 'json' && format !== 'sarif') {
    throw new UsageError(`--format is text, json or sarif, not ${JSON.stringify(format.slice(0, 40))}`, CHECK_USAGE);
  }
  const options: CheckOptions = {
    k8s: v['no-k8s'] ? undefined : v.k8s ?? 'dist',
    terraform: v['no-terraform'] ? undefined : v.terraform ?? 'cdktf.out',
    format,
    maxFileSize: positiveInteger('--max-file-size', v['max-file-size'], DEFAULT_MAX_FILE_SIZE),
    maxFindingsPerObject: positiveInteger('--max-findings-per-object', v['max-findings-per-object'], 20),
  };
  if (options.k8s === undefined && options.terraform === undefined) throw new UsageError('--no-k8s and --no-terraform leave nothing to check', CHECK_USAGE);
  return options;
}

interface Omitted {
  readonly object: string;
  readonly file: string;
  readonly count: number;
}

/**
 * At most `max` findings per object and file, in order; the rest counted per object. A
 * hand-written manifest with thousands of containers cannot flood the output.
 */
export function capFindings(findings: readonly Finding[], max: number): { shown: Finding[]; omitted: Omitted[] } {
  const seen = new Map<string, number>();
  const shown: Finding[] = [];
  const omitted = new Map<string, Omitted>();
  for (const f of findings) {
    const key = `${f.file}\0${f.object}`;
    const n = (seen.get(key) ?? 0) + 1;
    seen.set(key, n);
    if (n <= max) shown.push(f);
    else omitted.set(key, { object: f.object, file: f.file, count: (omitted.get(key)?.count ?? 0) + 1 });
  }
  return { shown, omitted: [...omitted.values()] };
}

async function check(options: CheckOptions, out: (line: string) => void): Promise<number> {
  const documents = await readDocuments(options);
  const report = runRules(documents);
  const { shown, omitted } = capFindings(report.findings, options.maxFindingsPerObject);
  const objects = documents.kubernetes?.length ?? 0;
  const modules = documents.terraform?.length ?? 0;
  if (options.format === 'sarif') {
    const lines = new Map<string, number>();
    for (const d of documents.kubernetes ?? []) {
      const m = d.manifest;
      const object = objectName(String(m.kind), typeof m.metadata?.name === 'string' && m.metadata.name !== '' ? m.metadata.name : '(unnamed)',
        typeof m.metadata?.namespace === 'string' && m.metadata.namespace !== '' ? m.metadata.namespace : undefined);
      const key = `${d.file}\0${object}`;
      if (d.line !== undefined && !lines.has(key)) lines.set(key, d.line);
    }
    out(JSON.stringify(toSarif({ rules: ALL_RULES, findings: shown, omitted, version: packageVersion(), root: process.cwd(), lines }), null, 2));
  } else if (options.format === 'json') {
    out(JSON.stringify({
      findings: shown.map((f) => ({ ...f, acknowledged: f.acknowledged ?? null })),
      omitted,
      summary: { errors: report.errors, warnings: report.warnings, acknowledged: report.acknowledged,
        kubernetesObjects: documents.kubernetes?.length ?? null, terraformModules: documents.terraform?.length ?? null },
    }, null, 2));
  } else {
    let previous = '';
    const omittedByKey = new Map(omitted.map((o) => [`${o.file}\0${o.object}`, o]));
    const flush = (key: string) => {
      const o = omittedByKey.get(key);
      if (o) out(`  ... and ${o.count} more finding(s) on ${o.object} (${o.file}); raise --max-findings-per-object to see them`);
    };
    for (const f of shown) {
      const key = `${f.file}\0${f.object}`;
      if (previous && key !== previous) flush(previous);
      previous = key;
      out(formatFinding(f));
    }
    if (previous) flush(previous);
    out(`${report.errors} error(s), ${report.warnings} warning(s), ${report.acknowledged} acknowledged in ${objects} Kubernetes objects, ${modules} Terraform modules`);
  }
  return report.errors > 0 ? 1 : 0;
}

function packageVersion(): string {
  try {
    return JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf8')).version;
  } catch {
    return '0.0.0';
  }
}

function listRules(out: (line: string) => void): number {
  for (const r of ALL_RULES) out(`${r.id} ${r.severity.padEnd(7)} ${r.title}\n    ${r.explanation}\n    Fix: ${r.fix}`);
  return 0;
}

/** Progress lines on a long run, only for a person watching: on a terminal, outside CI. */
const showProgress = process.stderr.isTTY === true && !process.env.CI;

/** Runs the command with `argv` (without node and the script); resolves to the exit status. */
export async function main(argv: string[], out = (l: string) => process.stdout.write(`${l}\n`), err = (l: string) => process.stderr.write(`${l}\n`)): Promise<number> {
  const [command, ...rest] = argv;
  try {
    if (command === '--help' || command === '-h' || command === 'help') {
      out(USAGE);
      return 0;
    }
    if (command === 'check') {
      const options = parseCheckArgs(rest);
      if (options === 'help') {
        out(CHECK_USAGE);
        return 0;
      }
      return await check(options, out);
    }
    if (command === 'synth') {
      // Loaded only for synth: `check` and `rules` never touch the synthesis code.
      const { parseSynthArgs, synth, SYNTH_USAGE } = await import('./synth');
      const options = parseSynthArgs(rest);
      if (options === 'help') {
        out(SYNTH_USAGE);
        return 0;
      }
      return await synth(options, err, showProgress ? err : () => undefined);
    }
    if (command === 'rules') {
      if (parse(rest, { help: { type: 'boolean', short: 'h' } }, RULES_USAGE).help) {
        out(RULES_USAGE);
        return 0;
      }
      return listRules(out);
    }
    throw new UsageError(command === undefined ? 'no command given' : `unknown command ${JSON.stringify(command.slice(0, 40))}`, USAGE);
  } catch (e) {
    if (e instanceof UsageError) {
      err(`iks-workload-identity: ${e.message}\n${e.usage}`);
      return 2;
    }
    if (e instanceof ReadError) {
      err(`iks-workload-identity: cannot read ${e.message}`);
      return 2;
    }
    if (e instanceof DeclarationError) {
      err(e.message);
      err('nothing was written: both output folders are as they were');
      return 1;
    }
    if (e instanceof SetupError || e instanceof OutputError) {
      err(`iks-workload-identity: ${e.message}`);
      return 2;
    }
    // A bug of ours, not bad input: say so in one line rather than print a stack trace.
    err(`iks-workload-identity: internal error (please report it): ${(e as Error)?.message ?? String(e)}`);
    return 2;
  }
}

if (require.main === module) {
  // A reader that stops early (`check | head`) is not an error worth a stack trace.
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code !== 'EPIPE') throw e;
    process.exit(process.exitCode ?? 0);
  });
  void main(process.argv.slice(2)).then((status) => {
    process.exitCode = status;
  });
}
