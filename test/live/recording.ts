import { mkdirSync, writeFileSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { expect } from 'vitest';
import { WebSocket as WsWebSocket } from 'ws';
import { operationNames } from '../../generated/types.js';

/**
 * Sockets that record what a live test's clients send and receive, and the
 * per-file record of operations sent, for docs/protocol-coverage.md.
 */

/** A frame as parsed from the wire. */
export type WireFrame = Record<string, unknown> & { type?: unknown; id?: unknown };

const knownOperations = new Set<string>(operationNames);

/** Per test (full name) the operations sent, each with its outcomes: `ok` or the error code. */
const recorded = new Map<string, Map<string, Set<string>>>();
let recordedFile: string | undefined;

function currentTest(): string | undefined {
  const state = expect.getState();
  if (state.testPath) recordedFile = state.testPath;
  return state.currentTestName;
}

function record(test: string, operation: string, outcome?: string): void {
  let operations = recorded.get(test);
  if (!operations) recorded.set(test, (operations = new Map()));
  let outcomes = operations.get(operation);
  if (!outcomes) operations.set(operation, (outcomes = new Set()));
  if (outcome) outcomes.add(outcome);
}

function parse(data: unknown): WireFrame | undefined {
  try {
    const text = typeof data === 'string' ? data : String(data);
    const frame: unknown = JSON.parse(text);
    return typeof frame === 'object' && frame !== null ? (frame as WireFrame) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * `ws`'s WebSocket that keeps every frame it sends and receives, and records each
 * request's operation (and its outcome) against the running test for the coverage doc.
 */
export class RecordingWebSocket extends WsWebSocket {
  readonly sent: WireFrame[] = [];
  readonly received: WireFrame[] = [];
  readonly #pending = new Map<unknown, { test: string; type: string }>();

  constructor(url: string) {
    super(url);
    this.on('message', (data: unknown, isBinary: boolean) => {
      if (isBinary) return;
      const frame = parse(data);
      if (!frame) return;
      this.received.push(frame);
      if (frame.type !== 'result' && frame.type !== 'error') return;
      const request = this.#pending.get(frame.id);
      if (!request) return;
      this.#pending.delete(frame.id);
      record(request.test, request.type, frame.type === 'result' ? 'ok' : String(frame.code));
    });
  }

  override send(data: unknown, ...rest: unknown[]): void {
    const frame = parse(data);
    if (frame) {
      this.sent.push(frame);
      const test = currentTest();
      if (test && typeof frame.type === 'string' && knownOperations.has(frame.type)) {
        record(test, frame.type);
        this.#pending.set(frame.id, { test, type: frame.type });
      }
    }
    (super.send as (...args: unknown[]) => void)(data, ...rest);
  }
}

/** Where each live test file's recorded coverage goes (gitignored); read by scripts/protocol-coverage.ts. */
export const COVERAGE_DIR = join(import.meta.dirname, '.coverage');

/** The recorded coverage of one live test file, as written to {@link COVERAGE_DIR}. */
export interface RecordedCoverage {
  file: string;
  tests: { name: string; operations: Record<string, string[]> }[];
}

/** Writes the operations this test file's clients sent, with their outcomes, to {@link COVERAGE_DIR}. */
export function writeCoverage(): void {
  if (!recordedFile) return;
  const root = join(import.meta.dirname, '..', '..');
  const coverage: RecordedCoverage = {
    file: relative(root, recordedFile).split('\\').join('/'),
    tests: [...recorded].map(([name, operations]) => ({
      name,
      operations: Object.fromEntries(
        [...operations]
          .sort(([a], [b]) => a.localeCompare(b))
          .map(([op, outcomes]) => [op, [...outcomes].sort()]),
      ),
    })),
  };
  mkdirSync(COVERAGE_DIR, { recursive: true });
  writeFileSync(
    join(COVERAGE_DIR, `${basename(recordedFile)}.json`),
    `${JSON.stringify(coverage, null, 2)}\n`,
  );
}
