import { validators } from '../generated/validators.js';
import {
  NoexClient,
  NoexClientError,
  RequestValidationError,
  type CallOptions,
  type WebSocketConstructor,
} from '../index.js';
import { appHelp, runAppCommand } from './app.js';
import { APP_COMMANDS, parseInvocation, parseJson, UsageError, type Invocation } from './args.js';
import { generalHelp, nearMatches, operationHelp, specs } from './help.js';

interface Writable {
  write(text: string): unknown;
}

export interface CliIo {
  stdout: Writable;
  stderr: Writable;
  /** NOEX_URL, NOEX_TOKEN, NOEX_USER, NOEX_PASSWORD; default none. */
  env?: Readonly<Record<string, string | undefined>>;
  /** Passed to the client; default `globalThis.WebSocket`, else `ws`. */
  WebSocket?: WebSocketConstructor;
  /** Aborting ends a watch (exit 0) or cancels a call (exit 130): main.ts ties it to Ctrl-C. */
  signal?: AbortSignal;
}

/** 0 success; 1 refused by the server, invalid request or usage; 2 no connection; 130 interrupted. */
export const ExitCode = { OK: 0, ERROR: 1, CONNECTION: 2, INTERRUPTED: 130 } as const;

const CONNECTION_CODES = new Set(['CONNECTION_FAILED', 'DISCONNECTED', 'TIMEOUT']);
const WATCHES: Record<string, string> = {
  watch: 'store.subscribe',
  'watch-events': 'rules.subscribe',
};

/** A request the command line resolved to: validated, not yet sent. */
interface Plan {
  command: string;
  operation: string;
  payload: Record<string, unknown>;
}

/** Runs one `noex` command line; resolves its exit code. Never throws. */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  try {
    const invocation = parseInvocation(argv, io.env ?? {});
    const { help, command, rest } = invocation;
    if (help || command === undefined || command === 'help') {
      const topic = command === 'help' ? rest[0] : command;
      if (!help && command === undefined && argv.length > 0)
        throw new UsageError('no operation given');
      io.stdout.write(
        `${
          topic === undefined
            ? `${generalHelp().trimEnd()}\n\n${appHelp}`
            : APP_COMMANDS.has(topic)
              ? appHelp
              : operationHelp(operationOf(topic))
        }\n`,
      );
      return ExitCode.OK;
    }
    if (APP_COMMANDS.has(command)) return await runAppCommand(invocation, io);
    const plan = planOf(command, rest);
    return await execute(plan, invocation, io);
  } catch (error) {
    return report(error, io);
  }
}

/** The wire name a command stands for; unknown names fail with the near matches. */
function operationOf(command: string): string {
  if (command in WATCHES) return WATCHES[command]!;
  if (command in specs) return command;
  const near = nearMatches(command);
  const hint = /[:/]/.test(command) ? ' (a server URL must start with ws:// or wss://)' : '';
  throw new UsageError(
    `unknown operation "${command}"${hint}` +
      (near.length ? `; did you mean: ${near.join(', ')}?` : '; `noex --help` lists them all'),
  );
}

function planOf(command: string, rest: string[]): Plan {
  const operation = operationOf(command);
  let payload: unknown;
  if (command === 'watch') {
    const [query, params, ...extra] = rest;
    if (query === undefined)
      throw new UsageError('watch needs a query name: noex <url> watch <query> [params-json]');
    if (extra.length) throw new UsageError(`too many arguments: ${extra.join(' ')}`);
    payload = params === undefined ? { query } : { query, params: parseJson(params, 'params') };
  } else if (command === 'watch-events') {
    const [pattern, ...extra] = rest;
    if (pattern === undefined)
      throw new UsageError('watch-events needs a topic pattern: noex <url> watch-events <pattern>');
    if (extra.length) throw new UsageError(`too many arguments: ${extra.join(' ')}`);
    payload = { pattern };
  } else {
    const [json, ...extra] = rest;
    if (extra.length) {
      throw new UsageError(
        `too many arguments: ${extra.join(' ')} (quote the payload as one JSON argument)`,
      );
    }
    payload = json === undefined ? {} : parseJson(json, 'payload');
  }
  // Checked before connecting, so an invalid request never opens a connection.
  const issues = validators[operation]?.request(payload);
  if (issues) throw new RequestValidationError(operation, issues);
  return { command, operation, payload: payload as Record<string, unknown> };
}

async function execute(plan: Plan, invocation: Invocation, io: CliIo): Promise<number> {
  if (invocation.url === undefined) {
    throw new UsageError(
      'no server URL: give ws://host:port before the operation, or set NOEX_URL',
    );
  }
  const client = new NoexClient(invocation.url, {
    ...invocation.options,
    ...(io.WebSocket ? { WebSocket: io.WebSocket } : {}),
  });
  client.on('error', (error) => io.stderr.write(`warning: ${error.message}\n`));
  const signal = io.signal;
  try {
    await client.connect();
    if (signal?.aborted) return plan.command in WATCHES ? ExitCode.OK : ExitCode.INTERRUPTED;
    if (plan.command in WATCHES) return await watch(client, plan, io);
    const request = client.request.bind(client) as unknown as (
      type: string,
      payload: unknown,
      options?: CallOptions,
    ) => Promise<unknown>;
    const result = await request(plan.operation, plan.payload, signal ? { signal } : undefined);
    io.stdout.write(`${JSON.stringify(result ?? null, null, 2)}\n`);
    return ExitCode.OK;
  } finally {
    await client.disconnect();
  }
}

/** Prints every result (or event) as one JSON line until the signal aborts or the connection drops. */
async function watch(client: NoexClient, plan: Plan, io: CliIo): Promise<number> {
  const line = (value: unknown) => io.stdout.write(`${JSON.stringify(value)}\n`);
  let stopped = false;
  const ended = new Promise<number>((resolve) => {
    client.on('disconnected', (reason) => {
      if (stopped) return;
      io.stderr.write(`error DISCONNECTED: ${reason}\n`);
      resolve(ExitCode.CONNECTION);
    });
    io.signal?.addEventListener('abort', () => resolve(ExitCode.OK), { once: true });
  });
  const options = io.signal ? { signal: io.signal } : undefined;
  try {
    if (plan.operation === 'store.subscribe') {
      const { query, params } = plan.payload as { query: string; params?: unknown };
      await client.store.subscribe(query, line, params, options);
    } else {
      const { pattern } = plan.payload as { pattern: string };
      await client.rules.subscribe(pattern, (event, topic) => line({ topic, event }), options);
    }
  } catch (error) {
    stopped = true;
    // Ctrl-C while subscribing ends the watch like Ctrl-C after.
    if (io.signal?.aborted) return ExitCode.OK;
    throw error;
  }
  const code = await ended;
  stopped = true;
  return code;
}

function report(error: unknown, io: CliIo): number {
  if (io.signal?.aborted && !(error instanceof UsageError)) {
    io.stderr.write('interrupted\n');
    return ExitCode.INTERRUPTED;
  }
  if (error instanceof UsageError) {
    io.stderr.write(`error: ${error.message}\nRun \`noex --help\` for usage.\n`);
    return ExitCode.ERROR;
  }
  if (error instanceof NoexClientError) {
    io.stderr.write(`error ${error.code}: ${error.message}\n`);
    if (error.details !== undefined && !(error instanceof RequestValidationError)) {
      io.stderr.write(`${JSON.stringify(error.details, null, 2)}\n`);
    }
    return CONNECTION_CODES.has(error.code) ? ExitCode.CONNECTION : ExitCode.ERROR;
  }
  io.stderr.write(`error: ${error instanceof Error ? error.message : String(error)}\n`);
  return ExitCode.ERROR;
}
