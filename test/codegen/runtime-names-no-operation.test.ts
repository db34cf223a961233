import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { operationNames } from '../../generated/types.js';
import { CloseCode } from '../../protocol/codes.js';

/**
 * The runtime learns what an operation does from generated/effects.ts and the
 * codes from protocol/codes.ts: it names neither an operation nor a code number.
 */
const runtimeDir = join(import.meta.dirname, '..', '..', 'runtime');
const sources = readdirSync(runtimeDir)
  .filter((name) => name.endsWith('.ts'))
  .map((name) => [name, readFileSync(join(runtimeDir, name), 'utf8')] as const);

describe('the runtime', () => {
  it('names no operation by its wire name', () => {
    const named = sources.flatMap(([file, text]) =>
      operationNames
        .filter((op) => new RegExp(`['"\`]${op.replace('.', '\\.')}['"\`]`).test(text))
        .map((op) => `${file}: ${op}`),
    );
    expect(named).toEqual([]);
  });

  it('writes no close code number that protocol/codes.ts names', () => {
    // 1000 is WebSocket's own normal closure, which the client sends when it disconnects.
    const numbers = Object.values(CloseCode)
      .filter((code) => code !== CloseCode.NORMAL)
      .map(String);
    const named = sources.flatMap(([file, text]) =>
      numbers
        .filter((n) => new RegExp(`(?<![\\w.])${n}(?![\\w.])`).test(text))
        .map((n) => `${file}: ${n}`),
    );
    expect(named).toEqual([]);
  });
});
