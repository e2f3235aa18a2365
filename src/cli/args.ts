// What the subcommands share: usage errors (exit 2, with the usage) and strict argument parsing.
import { parseArgs } from 'util';

/** Bad arguments: printed with the command's usage; exit 2. */
export class UsageError extends Error {
  constructor(message: string, readonly usage: string) {
    super(message);
  }
}

/** Something the command needs is not installed (a peer package); printed alone; exit 2. */
export class SetupError extends Error {}

type Options = Record<string, { type: 'string' | 'boolean'; short?: string }>;
type Values<T extends Options> = { [K in keyof T]?: T[K]['type'] extends 'string' ? string : boolean };

/** node's parseArgs, strict, with its errors turned into usage errors for `usage`. */
export function parse<T extends Options>(args: string[], options: T, usage: string): Values<T> {
  return parseWithPositionals(args, options, usage, false).values;
}

/** As `parse`, also returning the positional arguments when `allowPositionals`. */
export function parseWithPositionals<T extends Options>(args: string[], options: T, usage: string, allowPositionals = true): { values: Values<T>; positionals: string[] } {
  try {
    const { values, positionals } = parseArgs({ args, options, strict: true, allowPositionals });
    return { values: values as Values<T>, positionals };
  } catch (e) {
    throw new UsageError((e as Error).message.split('\n')[0].replace(/\. To specify a positional argument.*$/, ''), usage);
  }
}
