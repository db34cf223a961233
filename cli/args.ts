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
}

/** A mistake on the command line: printed with the general usage hint, exit 1. */
export class UsageError extends Error {
  override name = 'UsageError';
}

const isUrl = (text: string) => /^wss?:\/\//i.test(text);

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
      },
    });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const { values, positionals } = parsed;
  const url =
    positionals[0] !== undefined && isUrl(positionals[0])
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
