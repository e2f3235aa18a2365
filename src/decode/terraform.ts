// Terraform configuration read as Terraform loads a module (hashicorp/terraform
// internal/configs/parser_config_dir.go, v1.x): every `*.tf` and `*.tf.json` file of a folder
// is one module; files named `override.tf(.json)` or `*_override.tf(.json)` are merged last,
// each of their blocks replacing the arguments and nested-block types it sets in the block it
// overrides (internal/configs/module_merge.go); a resource, data source or local defined twice
// in primary files is an error, as is an override of something not defined. cdktf writes one
// module per stack (stacks/<name>/cdk.tf.json, or cdk.tf after `cdktf synth --hcl`).
// HCL is parsed per file by @cdktf/hcl2json (HashiCorp's HCL parser compiled to WebAssembly);
// its convertFiles() is not used: it concatenates and deep-merges, which is not Terraform's merge.
import * as path from 'path';
import type { TerraformDocument } from '../rules/types';
import { decodeText, excerpt, filesUnder, readRegularFile, ReadError } from './files';

export interface TerraformReadOptions {
  readonly maxFileSize: number;
}

/** The kinds of blocks merged here: those the rules read. */
type Block = 'resource' | 'data';

/** One module: the merged configuration and, per address, the file that defines it. */
interface Module {
  readonly resource: Record<string, Record<string, Record<string, unknown>>>;
  readonly data: Record<string, Record<string, Record<string, unknown>>>;
  readonly locals: Record<string, unknown>;
  /** `type.name`, `data.type.name` and `local.name` to the defining file. */
  readonly sources: Map<string, string>;
}

/** Terraform's IsIgnoredFile: editor and hidden files are not configuration. */
function isConfigFile(name: string): boolean {
  if (name.startsWith('.') || name.startsWith('#') || name.endsWith('~')) return false;
  return name.endsWith('.tf') || name.endsWith('.tf.json');
}

function isOverrideFile(file: string): boolean {
  const base = path.basename(file).replace(/\.tf(\.json)?$/, '');
  return base === 'override' || base.endsWith('_override');
}

/** Every module (folder holding configuration files) under `dir`, in path order. */
export async function readTerraformDir(dir: string, options: TerraformReadOptions): Promise<TerraformDocument[]> {
  const byFolder = new Map<string, string[]>();
  for (const file of filesUnder(dir, isConfigFile)) {
    const folder = path.dirname(file);
    byFolder.set(folder, [...(byFolder.get(folder) ?? []), file]);
  }
  const out: TerraformDocument[] = [];
  for (const [folder, files] of byFolder) {
    const parsed: { file: string; config: Record<string, unknown> }[] = [];
    for (const file of files) parsed.push({ file, config: await decodeTerraformFile(file, readRegularFile(file, options.maxFileSize)) });
    out.push(mergeModule(folder, parsed));
  }
  return out;
}

/** One configuration file's top-level object, in Terraform's JSON shape. */
export async function decodeTerraformFile(file: string, bytes: Buffer): Promise<Record<string, unknown>> {
  const text = decodeText(bytes);
  let config: unknown;
  if (file.endsWith('.json')) {
    try {
      config = JSON.parse(text);
    } catch (e) {
      throw new ReadError(`${file}: not valid JSON: ${(e as Error).message.slice(0, 120)}`);
    }
  } else {
    try {
      // Loaded on first use: the parser's WebAssembly costs about 0.2 s, wasted on JSON-only outputs.
      const { parse } = await import('@cdktf/hcl2json');
      config = await parse(path.basename(file), text);
    } catch (e) {
      throw new ReadError(`${file}: not valid HCL: ${String((e as Error)?.message ?? e).split('\n')[0].slice(0, 200)}`);
    }
  }
  if (!isObject(config)) {
    throw new ReadError(`${file}: not a Terraform configuration: the file must hold an object of blocks (resource, data, locals...), not ${Array.isArray(config) ? 'a list' : excerpt(String(config))}`);
  }
  return config;
}

/**
 * The module of `files`: primary files merged (duplicates refused), then override files, in
 * name order, merged into what they override.
 */
export function mergeModule(folder: string, files: readonly { file: string; config: Record<string, unknown> }[]): TerraformDocument {
  const module: Module = { resource: {}, data: {}, locals: {}, sources: new Map() };
  const ordered = [...files.filter((f) => !isOverrideFile(f.file)), ...files.filter((f) => isOverrideFile(f.file))];
  for (const { file, config } of ordered) {
    const override = isOverrideFile(file);
    for (const block of ['resource', 'data'] as const) {
      for (const { type, name, body } of blocksOf(file, config[block], block)) mergeBlock(module, file, override, block, type, name, body);
    }
    for (const [name, value] of localsOf(file, config.locals)) {
      const key = `local.${name}`;
      const defined = module.sources.get(key);
      if (!override && defined !== undefined) throw new ReadError(`${file}: local value "${name}" is also defined in ${defined}; Terraform refuses duplicate locals`);
      if (override && defined === undefined) throw new ReadError(`${file}: overrides local value "${name}", which no primary file defines; Terraform refuses that`);
      module.locals[name] = value;
      if (!override) module.sources.set(key, file);
    }
  }
  return {
    file: folder,
    config: { resource: module.resource, data: module.data, locals: module.locals },
    sources: module.sources,
  };
}

function mergeBlock(module: Module, file: string, override: boolean, block: Block, type: string, name: string, body: Record<string, unknown>): void {
  const key = `${block === 'data' ? 'data.' : ''}${type}.${name}`;
  const what = `${block === 'data' ? 'data source' : 'resource'} "${type}" "${name}"`;
  const byName = (module[block][type] ??= {});
  const defined = module.sources.get(key);
  if (!override) {
    if (defined !== undefined) throw new ReadError(`${file}: ${what} is also defined in ${defined}; Terraform refuses duplicate ${block === 'data' ? 'data sources' : 'resources'}`);
    byName[name] = body;
    module.sources.set(key, file);
    return;
  }
  if (defined === undefined) throw new ReadError(`${file}: overrides ${what}, which no primary file defines; Terraform refuses that`);
  // Each argument, and each nested block type, set in the override replaces the original's.
  byName[name] = { ...byName[name], ...body };
}

/**
 * The blocks of one kind in a file, from either shape: Terraform's JSON syntax allows each
 * level to be an object or a list of objects; hcl2json gives lists.
 */
function blocksOf(file: string, value: unknown, block: Block): { type: string; name: string; body: Record<string, unknown> }[] {
  const out: { type: string; name: string; body: Record<string, unknown> }[] = [];
  for (const byType of objects(file, value, block)) {
    for (const [type, byNameRaw] of Object.entries(byType)) {
      if (type === '//') continue;
      for (const byName of objects(file, byNameRaw, `${block}.${type}`)) {
        for (const [name, bodies] of Object.entries(byName)) {
          if (name === '//') continue;
          const list = objects(file, bodies, `${block}.${type}.${name}`);
          if (list.length > 1) throw new ReadError(`${file}: ${block} "${type}" "${name}" is defined ${list.length} times; Terraform refuses duplicates`);
          if (list.length === 1) out.push({ type, name, body: list[0] });
        }
      }
    }
  }
  return out;
}

function localsOf(file: string, value: unknown): [string, unknown][] {
  return objects(file, value, 'locals').flatMap((o) => Object.entries(o).filter(([k]) => k !== '//'));
}

/** An object, or a list of objects, as a list; anything else is not a configuration. */
function objects(file: string, value: unknown, at: string): Record<string, unknown>[] {
  if (value === undefined || value === null) return [];
  const list = Array.isArray(value) ? value : [value];
  for (const item of list) {
    if (!isObject(item)) throw new ReadError(`${file} at ${at}: must be an object of blocks, not ${Array.isArray(item) ? 'a list' : excerpt(String(item))}`);
  }
  return list as Record<string, unknown>[];
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
