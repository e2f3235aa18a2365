#!/usr/bin/env node
// `iks-workload-identity check`: the rules over synthesized or hand-written outputs, including
// the cross-side rules that no single synthesis can run. Exit 0: no open error; 1: open
// errors; 2: usage or read error.
import { formatFinding, runRules } from '../rules/engine';
import { ALL_RULES } from '../rules/packs';
import { Documents } from '../rules/types';
import { readKubernetesDir, readTerraformDir, ReadError } from './read';

const USAGE = `usage: iks-workload-identity check [--k8s <dir>] [--terraform <dir>] [--no-k8s] [--no-terraform] [--format text|json]
       iks-workload-identity rules

check   runs every rule over the Kubernetes manifests (*.yaml, *.yml) under --k8s (default: dist)
        and the Terraform stacks (cdk.tf.json) under --terraform (default: cdktf.out); --no-k8s or
        --no-terraform skips a side (and the rules comparing both sides)
rules   lists the rules

exit status: 0 no error, 1 errors found, 2 usage or read error`;

interface CheckOptions {
  k8s?: string;
  terraform?: string;
  format: 'text' | 'json';
}

class UsageError extends Error {}

function parseCheckArgs(args: string[]): CheckOptions {
  const options: CheckOptions = { k8s: 'dist', terraform: 'cdktf.out', format: 'text' };
  for (let i = 0; i < args.length; i++) {
    const [flag, inline] = args[i].startsWith('--') && args[i].includes('=') ? args[i].split(/=(.*)/s, 2) : [args[i], undefined];
    const value = (): string => {
      const v = inline ?? args[++i];
      if (v === undefined || v === '') throw new UsageError(`${flag} needs a value`);
      return v;
    };
    switch (flag) {
      case '--k8s': options.k8s = value(); break;
      case '--terraform': options.terraform = value(); break;
      case '--no-k8s': options.k8s = undefined; break;
      case '--no-terraform': options.terraform = undefined; break;
      case '--format': {
        const f = value();
        if (f !== 'text' && f !== 'json') throw new UsageError(`--format is text or json, not ${JSON.stringify(f)}`);
        options.format = f;
        break;
      }
      default: throw new UsageError(`unknown argument ${JSON.stringify(args[i])}`);
    }
  }
  if (options.k8s === undefined && options.terraform === undefined) throw new UsageError('--no-k8s and --no-terraform leave nothing to check');
  return options;
}

function check(options: CheckOptions, out: (line: string) => void): number {
  const documents: Documents = {
    kubernetes: options.k8s === undefined ? undefined : readKubernetesDir(options.k8s),
    terraform: options.terraform === undefined ? undefined : readTerraformDir(options.terraform),
  };
  const report = runRules(documents);
  const checked = `${documents.kubernetes?.length ?? 0} Kubernetes objects, ${documents.terraform?.length ?? 0} Terraform stacks`;
  if (options.format === 'json') {
    out(JSON.stringify({
      findings: report.findings.map((f) => ({ ...f, acknowledged: f.acknowledged ?? null })),
      summary: { errors: report.errors, warnings: report.warnings, acknowledged: report.acknowledged,
        kubernetesObjects: documents.kubernetes?.length ?? null, terraformStacks: documents.terraform?.length ?? null },
    }, null, 2));
  } else {
    for (const f of report.findings) out(formatFinding(f));
    out(`${report.errors} error(s), ${report.warnings} warning(s), ${report.acknowledged} acknowledged in ${checked}`);
  }
  return report.errors > 0 ? 1 : 0;
}

function listRules(out: (line: string) => void): number {
  for (const r of ALL_RULES) out(`${r.id} ${r.severity.padEnd(7)} ${r.title}\n    ${r.explanation}\n    Fix: ${r.fix}`);
  return 0;
}

/** Runs the command with `argv` (without node and the script); returns the exit status. */
export function main(argv: string[], out = (l: string) => process.stdout.write(`${l}\n`), err = (l: string) => process.stderr.write(`${l}\n`)): number {
  const [command, ...rest] = argv;
  try {
    if (command === '--help' || command === '-h' || command === 'help') {
      out(USAGE);
      return 0;
    }
    if (command === 'check') return check(parseCheckArgs(rest), out);
    if (command === 'rules' && rest.length === 0) return listRules(out);
    throw new UsageError(command === undefined ? 'no command given' : `unknown command ${JSON.stringify([command, ...rest].join(' '))}`);
  } catch (e) {
    if (e instanceof UsageError) {
      err(`iks-workload-identity: ${e.message}\n${USAGE}`);
      return 2;
    }
    if (e instanceof ReadError) {
      err(`iks-workload-identity: cannot read ${e.message}`);
      return 2;
    }
    throw e;
  }
}

if (require.main === module) {
  process.exitCode = main(process.argv.slice(2));
}
