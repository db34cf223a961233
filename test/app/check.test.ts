import { describe, expect, it } from 'vitest';
import { summarizeChanges, unifiedDiff } from '../../codegen/app/check.js';

const lines = (n: number) => Array.from({ length: n }, (_, i) => `line ${i + 1}`);
const labels = { before: 'a.ts', after: 'b.ts' };

describe('the --check diff', () => {
  it('shows each change with three lines of context, in hunks numbered as in both files', () => {
    const before = lines(20);
    const after = [...before];
    after[4] = 'line 5 changed';
    after.splice(15, 1);
    expect(unifiedDiff(before.join('\n'), after.join('\n'), labels)).toBe(
      [
        '--- a.ts',
        '+++ b.ts',
        '@@ -2,7 +2,7 @@',
        ' line 2',
        ' line 3',
        ' line 4',
        '-line 5',
        '+line 5 changed',
        ' line 6',
        ' line 7',
        ' line 8',
        '@@ -13,7 +13,6 @@',
        ' line 13',
        ' line 14',
        ' line 15',
        '-line 16',
        ' line 17',
        ' line 18',
        ' line 19',
        '',
      ].join('\n'),
    );
  });

  it('joins changes closer than two contexts into one hunk', () => {
    const before = lines(12);
    const after = [...before];
    after[2] = 'x';
    after[7] = 'y';
    const diff = unifiedDiff(before.join('\n'), after.join('\n'), labels);
    expect(diff.match(/^@@/gm)).toHaveLength(1);
    expect(diff).toContain('@@ -1,11 +1,11 @@');
  });

  it('summarizes the App members added, removed and changed', () => {
    const app = (buckets: string, queries: string, extra = '') =>
      `${extra}export type App = { buckets: { ${buckets} }; queries: { ${queries} }; procedures: {} };`;
    const before = app(
      'a: AppBucket<ARecord, AInsert, AUpdate>; b: AppBucket<BRecord, BInsert, BUpdate>;',
      "'q-1': { params: undefined; result: number }; q2: { params: undefined; result: number };",
      'interface ARecord { x: string }\n',
    );
    const after = app(
      'a: AppBucket<ARecord, AInsert, AUpdate>; c: AppBucket<CRecord, CInsert, CUpdate>;',
      "'q-1': { params: { p: string }; result: number }; q2: { params: undefined; result: number };",
      'interface ARecord { x: number }\n',
    );
    expect(summarizeChanges(before, after)).toEqual([
      'bucket a changed',
      'bucket b removed',
      'bucket c added',
      'query q-1 changed',
    ]);
    expect(summarizeChanges('const x = 1;', after)).toEqual([]);
  });
});
