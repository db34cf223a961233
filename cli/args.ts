import { parseArgs } from 'node:util';
import type { ClientOptions } from '../index.js';

/** What the command line asks for, before anything is connected. */
export interface Invocation {
  help: boolean;
  /** The server URL; undefined when neither given nor in NOEX_URL. */
  url: string | undefined;
  /** The operation, `watch` or `watch-events`, and what follows it. */
  command: string | undefined;
  rest: string[];
  options: ClientOptions;
  /** The flags of `noex generate` and `noex schema pull|push`. */
  app: AppFlags;
}

/** `--from`, `--out`, `--to`, `--check`: only the app commands take them. */
export interface AppFlags {
  from?: string;
  out?: string;
  to?: string;
  check: boolean;
}

/** The commands that work on an application's schema rather than call one operation. */
export const APP_COMMANDS = new Set(['generate', 'schema']);

/** A mistake on the command line: printed with the general usage hint, exit 1. */
export class UsageError extends Error {
  override name = 'UsageError';
}

export const isUrl = (text: string) => /^wss?:\/\//i.test(text);

/**
 * Parses `[url] <command> [args…]` and the flags anywhere among them. Flags
 * win over the environment: `--token` / NOEX_TOKEN, `--user` + `--password` /
 * NOEX_USER + NOEX_PASSWORD, NOEX_URL for a missing URL.
 */
export function parseInvocation(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
): Invocation {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      strict: true,
      options: {
        token: { type: 'string' },
        user: { type: 'string' },
        password: { type: 'string' },
        timeout: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
        from: { type: 'string' },
        out: { type: 'string' },
        to: { type: 'string' },
        check: { type: 'boolean' },
      },
    });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const { values, positionals } = parsed;
  const app: AppFlags = {
    ...(values.from !== undefined ? { from: values.from } : {}),
    ...(values.out !== undefined ? { out: values.out } : {}),
    ...(values.to !== undefined ? { to: values.to } : {}),
    check: values.check ?? false,
  };
  const isAppCommand = positionals[0] !== undefined && APP_COMMANDS.has(positionals[0]);
  if (!isAppCommand) {
    const flag = (['from', 'out', 'to', 'check'] as const).find((f) => values[f] !== undefined);
    if (flag)
      throw new UsageError(`--${flag} is a flag of \`noex generate\` and \`noex schema\` only`);
  }
  const url =
    !isAppCommand && positionals[0] !== undefined && isUrl(positionals[0])
      ? positionals.shift()
      : env.NOEX_URL || undefined;
  const options: ClientOptions = { reconnect: false };

  const token = values.token ?? (env.NOEX_TOKEN || undefined);
  const username = values.user ?? (env.NOEX_USER || undefined);
  const password = values.password ?? (env.NOEX_PASSWORD || undefined);
  if (username !== undefined && password === undefined) {
    throw new UsageError('--user needs --password (or NOEX_PASSWORD)');
  }
  if (password !== undefined && username === undefined && values.password !== undefined) {
    throw new UsageError('--password needs --user (or NOEX_USER)');
  }
  if (token !== undefined || username !== undefined) {
    options.auth = {
      ...(token !== undefined ? { token } : {}),
      ...(username !== undefined ? { credentials: { username, password: password! } } : {}),
    };
  }
  if (values.timeout !== undefined) {
    const ms = Number(values.timeout);
    if (!Number.isFinite(ms) || ms <= 0) {
      throw new UsageError(`--timeout takes a number of milliseconds, not "${values.timeout}"`);
    }
    options.requestTimeoutMs = ms;
    options.connectTimeoutMs = ms;
  }
  return {
    help: values.help ?? false,
    url,
    command: positionals[0],
    rest: positionals.slice(1),
    options,
    app,
  };
}

/** Parses a JSON argument, naming what it was for when it is not JSON. */
export function parseJson(text: string, what: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new UsageError(`${what} is not valid JSON: ${(error as Error).message}\n  got: ${text}`);
  }
}
