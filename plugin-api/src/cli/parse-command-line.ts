import { parseArgs } from 'node:util';
import { PluginApiErrors } from '../errors/catalogue.js';

/** One flag of a subcommand. Every flag also reads `MESHPLUG_<NAME>` from the environment. */
export interface FlagSpec {
  type: 'string' | 'boolean';
  /** One-letter alias, e.g. `f`. */
  short?: string;
  /** Shown by `--help`. */
  description: string;
  /** Default when neither the flag nor its environment variable is set. */
  default?: string | boolean;
  /** May be given several times (strings only). */
  multiple?: boolean;
}

export interface CommandSpec {
  /** e.g. `meshplug serve`. */
  usage: string;
  description: string;
  flags: Record<string, FlagSpec>;
}

export interface ParsedCommandLine {
  values: Record<string, string | boolean | string[] | undefined>;
  positionals: string[];
  help: boolean;
}

/** `config-url` -> `MESHPLUG_CONFIG_URL`. */
export function envName(flag: string): string {
  return `MESHPLUG_${flag.replace(/-/g, '_').toUpperCase()}`;
}

/**
 * Parses argv with node's parseArgs; flags not given fall back to their
 * environment variable, then to their default. Unknown flags are an error
 * naming the flag, so a typo never silently runs with defaults.
 */
export function parseCommandLine(
  spec: CommandSpec,
  argv: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
): ParsedCommandLine {
  const options: Record<string, { type: 'string' | 'boolean'; short?: string; multiple?: boolean }> = {
    help: { type: 'boolean', short: 'h' },
  };
  for (const [name, f] of Object.entries(spec.flags)) {
    options[name] = { type: f.type, ...(f.short ? { short: f.short } : {}), ...(f.multiple ? { multiple: true } : {}) };
  }
  let parsed;
  try {
    parsed = parseArgs({ args: [...argv], options, allowPositionals: true, strict: true });
  } catch (err) {
    throw new PluginApiErrors.API_ERR_INVALID_OPTION(`${spec.usage}: ${(err as Error).message}`, { cause: err });
  }
  const values: ParsedCommandLine['values'] = {};
  for (const [name, f] of Object.entries(spec.flags)) {
    const given = (parsed.values as Record<string, string | boolean | string[] | undefined>)[name];
    if (given !== undefined) {
      values[name] = given;
      continue;
    }
    const fromEnv = env[envName(name)];
    if (fromEnv !== undefined && fromEnv !== '') {
      if (f.type === 'boolean') values[name] = !['0', 'false', 'no', 'off'].includes(fromEnv.toLowerCase());
      else values[name] = f.multiple ? fromEnv.split(',').map((s) => s.trim()).filter(Boolean) : fromEnv;
      continue;
    }
    values[name] = f.default;
  }
  return { values, positionals: parsed.positionals, help: parsed.values.help === true };
}

/** The `--help` text of a subcommand. */
export function formatHelp(spec: CommandSpec): string {
  const lines = [`Usage: ${spec.usage}`, '', spec.description, '', 'Options:'];
  const rows = Object.entries(spec.flags).map(([name, f]) => {
    const left = `  ${f.short ? `-${f.short}, ` : '    '}--${name}${f.type === 'string' ? ' VALUE' : ''}`;
    const def = f.default !== undefined ? ` (default: ${String(f.default)})` : '';
    return [left, `${f.description}${def} [env ${envName(name)}]`] as [string, string];
  });
  rows.push(["  -h, --help", "show this help"]);
  const width = Math.max(...rows.map(([l]) => l.length)) + 2;
  for (const [l, r] of rows) lines.push(l.padEnd(width) + r);
  return lines.join('\n') + '\n';
}
