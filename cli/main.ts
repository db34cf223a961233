#!/usr/bin/env node
/**
 * `noex`: a command-line client for noex-server, generated at run time from
 * the protocol spec. Everything but the process wiring lives in run.ts.
 */
import { runCli } from './run.js';

const controller = new AbortController();
// Ctrl-C ends a watch cleanly (disconnect, exit 0) or cancels a call; a second one exits at once.
process.on('SIGINT', () => {
  if (controller.signal.aborted) process.exit(130);
  controller.abort(new Error('interrupted'));
});
// `noex … watch q | head -1`: a closed pipe ends the command quietly.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});

// No top-level await, so this file also compiles as CommonJS.
void runCli(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  signal: controller.signal,
}).then((code) => {
  process.exitCode = code;
  // Whatever is still pending (it should be nothing) does not keep the command alive.
  setTimeout(() => process.exit(code), 1_000).unref();
});
