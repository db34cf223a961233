import { mkdtemp, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Project, Scope } from 'ts-morph';
import { describe, expect, it } from 'vitest';
import { operations, type OperationSpec } from '../../protocol/index.js';
import { root, typecheck } from './typecheck.js';

const spec: Readonly<Record<string, OperationSpec>> = operations;
const client = new Project({ skipAddingFilesFromTsConfig: true }).addSourceFileAtPath(
  join(root, 'generated', 'client.ts'),
);
const methods = client
  .getClasses()
  .filter((cls) => cls.getName() !== 'NoexClient')
  .flatMap((cls) => cls.getMethods().filter((m) => m.getScope() === Scope.Public));
const wireName = (text: string) => /this\.core\s*\.\w+\(\s*'([\w.]+)'/.exec(text)?.[1];

describe('the generated methods’ doc comments', () => {
  it('document every method: summary, each parameter, what it resolves, its errors', () => {
    const gaps: string[] = [];
    for (const method of methods) {
      const op = wireName(method.getText());
      const doc = method.getJsDocs()[0];
      const where = `${(method.getParent() as { getName(): string }).getName()}.${method.getName()}`;
      if (!op || !doc?.getDescription().trim()) {
        gaps.push(`${where}: no summary`);
        continue;
      }
      const tags = doc.getTags().map(
        (tag) =>
          [
            tag.getTagName(),
            tag
              .getText()
              .replace(/^@\w+\s*/, '')
              .replace(/\s*\*?\s*$/, ''),
          ] as const,
      );
      for (const parameter of method.getParameters()) {
        const text = tags.find(
          ([name, comment]) => name === 'param' && comment.startsWith(`${parameter.getName()} - `),
        );
        if (!text || text[1].length <= parameter.getName().length + 4)
          gaps.push(`${where}: @param ${parameter.getName()}`);
      }
      if (!tags.some(([name]) => name === 'returns')) gaps.push(`${where}: @returns`);
      for (const code of spec[op]!.errors ?? []) {
        if (!tags.some(([name, comment]) => name === 'throws' && comment.includes(code)))
          gaps.push(`${where}: @throws ${code}`);
      }
    }
    expect(gaps).toEqual([]);
  });

  it('carry a type-checked example for the common operations', async () => {
    const common = [
      'store.insert',
      'store.get',
      'store.where',
      'store.subscribe',
      'rules.emit',
      'identity.login',
      'procedures.call',
    ];
    expect(common.filter((name) => !spec[name]!.example)).toEqual([]);
    const examples = Object.values(spec).flatMap((op) => (op.example ? [op.example] : []));
    const program = [
      "import type { NoexClient } from './generated/client.js';",
      'interface User { name: string; role: string }',
      'declare const client: NoexClient;',
      ...examples.map((example, i) => `export async function example${i}() {\n${example}\n}`),
    ].join('\n');
    const temp = await mkdtemp(join(tmpdir(), 'noex-examples-'));
    try {
      for (const dir of ['generated', 'runtime', 'protocol', 'node_modules']) {
        await symlink(join(root, dir), join(temp, dir));
      }
      expect(await typecheck(temp, program)).toBe('');
    } finally {
      await rm(temp, { recursive: true, force: true });
    }
  }, 120_000);
});
