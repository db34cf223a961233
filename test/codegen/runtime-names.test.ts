import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { operationNames } from '../../generated/types.js';
import { CloseCode } from '../../protocol/codes.js';

/**
 * The spec is the only place that knows an operation: the runtime learns what
 * it needs (sessions, records, subscriptions, secrets, retries) from the
 * generated effects table, and close codes from protocol/codes.ts.
 */
const runtime = join(import.meta.dirname, '../../runtime');
const sources = readdirSync(runtime)
  .filter((name) => name.endsWith('.ts'))
  .map((name) => ({ name, text: readFileSync(join(runtime, name), 'utf8') }));

describe('the runtime names no operation', () => {
  it('has sources to check', () => {
    expect(sources.length).toBeGreaterThan(10);
  });

  it('contains no operation’s wire name', () => {
    const found = sources.flatMap(({ name, text }) =>
      operationNames
        .filter((op) => ["'", '"', '`'].some((quote) => text.includes(`${quote}${op}${quote}`)))
        .map((op) => `${name}: ${op}`),
    );
    expect(found).toEqual([]);
  });

  it('contains no close code number that protocol/codes.ts names', () => {
    const found = sources.flatMap(({ name, text }) =>
      Object.values(CloseCode)
        .filter((code) => new RegExp(`(?<![\\w.])${code}(?![\\w])`).test(text))
        .map((code) => `${name}: ${code}`),
    );
    expect(found).toEqual([]);
  });
});
