import { readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { operations, type OperationSpec } from '../../protocol/index.js';
import { methodOf, writeCoverage } from '../../scripts/protocol-coverage.js';

/**
 * docs/protocol-coverage.md is written by scripts/protocol-coverage.ts from the spec and
 * the coverage recorded by the live suite (`npm run test:live`). This check runs without
 * the server: the committed doc must list exactly the spec's operations, each with its
 * method and at least one live test.
 */
const doc = readFileSync(
  join(import.meta.dirname, '..', '..', 'docs', 'protocol-coverage.md'),
  'utf8',
);

interface Row {
  operation: string;
  method: string;
  outcomes: string;
  tests: string[];
}

const rows: Row[] = doc
  .split('\n')
  .filter((line) => /^\| `[^`]+` \|/.test(line))
  .map((line) => {
    const cells = line
      .slice(1, -1)
      .split(/(?<!\\)\|/)
      .map((c) => c.trim());
    return {
      operation: cells[0]!.replace(/`/g, ''),
      method: cells[1]!.replace(/`/g, ''),
      outcomes: cells[2]!,
      tests: cells[3]! === '**none**' ? [] : cells[3]!.split('<br>').filter(Boolean),
    };
  });

const spec = Object.entries(operations) as [string, OperationSpec][];

describe('docs/protocol-coverage.md', () => {
  it('lists every operation of the spec exactly once, and nothing else', () => {
    const listed = rows.map((r) => r.operation);
    expect(new Set(listed).size, 'an operation is listed twice').toBe(listed.length);
    const specNames = spec.map(([name]) => name);
    expect(
      specNames.filter((name) => !listed.includes(name)),
      'missing from the doc',
    ).toEqual([]);
    expect(
      listed.filter((name) => !specNames.includes(name)),
      'not in the spec',
    ).toEqual([]);
  });

  it('names the method each operation is sent by, as the spec declares it', () => {
    for (const [name, op] of spec) {
      expect(rows.find((r) => r.operation === name)?.method, name).toBe(methodOf(op));
    }
  });

  it('has at least one live test for every operation, in which the real server answered', () => {
    const untested = rows.filter((r) => r.tests.length === 0).map((r) => r.operation);
    expect(untested, 'operations without a live test (run npm run test:live)').toEqual([]);
    for (const row of rows) {
      for (const test of row.tests)
        expect(test, row.operation).toMatch(/^[\w.-]+\.live\.test\.ts › .+ › .+/);
      expect(row.outcomes, `${row.operation}: no answer from the server recorded`).not.toBe('—');
    }
  });

  it('is left as it is when no live run recorded any coverage', async () => {
    const temp = await mkdtemp(join(tmpdir(), 'noex-coverage-'));
    try {
      const docPath = join(temp, 'protocol-coverage.md');
      writeFileSync(docPath, doc);
      const errors = vi.spyOn(console, 'error').mockImplementation(() => {});
      expect(writeCoverage(join(temp, 'no-live-run'), docPath)).toBe(1);
      expect(errors).toHaveBeenCalledWith(expect.stringContaining('run npm run test:live first'));
      errors.mockRestore();
      expect(readFileSync(docPath, 'utf8')).toBe(doc);
    } finally {
      await rm(temp, { recursive: true, force: true });
    }
  });
});
