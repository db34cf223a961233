import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
// @ts-expect-error: a plain .mjs script, without declarations
import { documents, extractSnippets, importedPackages } from '../../scripts/check-snippets.mjs';

describe('check:snippets', () => {
  it('takes ts, typescript and tsx blocks with the line their code starts on, and skips the rest', () => {
    const markdown = [
      '# Title', // 1
      '```ts', // 2
      'const a = 1;', // 3
      '```',
      '```sh',
      'npm test',
      '```',
      '- a list item:', // 8
      '  ```typescript', // 9
      '  const b = 2;', // 10
      '    nested();',
      '  ```',
      '```ts ignore',
      'client.thing(a, b?)',
      '```',
      '````tsx',
      'const c = <div>```</div>;',
      '````',
    ].join('\n');
    expect(extractSnippets(markdown)).toEqual([
      { line: 3, tsx: false, code: 'const a = 1;' },
      { line: 10, tsx: false, code: 'const b = 2;\n  nested();' },
      { line: 17, tsx: true, code: 'const c = <div>```</div>;' },
    ]);
  });

  it('finds the packages a block imports, scoped or not, but not the package itself or node:', () => {
    const code = [
      "import Type from 'typebox';",
      "import { NoexClient } from 'noex-client';",
      "import { MockServer } from 'noex-client/testing';",
      "import { render } from '@testing-library/react/pure';",
      "import { readFileSync } from 'node:fs';",
      "const ws = await import('ws');",
      "import './local.js';",
    ].join('\n');
    expect(importedPackages(code)).toEqual(['typebox', '@testing-library/react', 'ws']);
  });

  it('checks the README and every guide, and the guides index links each guide', () => {
    const files: string[] = documents();
    const names = files.map((file) => file.split('/').slice(-2).join('/'));
    expect(files[0]).toBe(new URL('../../README.md', import.meta.url).pathname);
    const guides = names.filter(
      (name) => name.startsWith('guides/') && name !== 'guides/README.md',
    );
    expect(guides.length).toBeGreaterThanOrEqual(8);
    const index = readFileSync(new URL('../../docs/guides/README.md', import.meta.url), 'utf8');
    for (const guide of guides) expect(index).toContain(`](${guide.slice('guides/'.length)})`);
  });
});
