import { Node, Project, type TypeLiteralNode } from 'ts-morph';

/**
 * What `noex generate --check` prints when the file on disk is not what the
 * schema generates: which buckets, queries and procedures were added, removed
 * or changed, then a unified diff of the lines.
 */

type Members = Map<string, string>;
const SECTIONS = ['buckets', 'queries', 'procedures'] as const;
const SINGULAR = { buckets: 'bucket', queries: 'query', procedures: 'procedure' } as const;

/** The members of `App`'s sections, by name, each with its type's text; undefined when the file has no `App` type. */
function appMembers(text: string): Map<string, Members> | undefined {
  const project = new Project({ useInMemoryFileSystem: true });
  const file = project.createSourceFile('app.ts', text);
  const app = file.getTypeAlias('App')?.getTypeNode();
  if (!app || !Node.isTypeLiteral(app)) return undefined;
  const sections = new Map<string, Members>();
  for (const section of SECTIONS) {
    const members: Members = new Map();
    const node = app.getProperty(section)?.getTypeNode();
    if (node && Node.isTypeLiteral(node)) {
      for (const member of (node as TypeLiteralNode).getProperties()) {
        const name = member.getName().replace(/^(['"])(.*)\1$/, '$2');
        let text = member.getTypeNode()?.getText() ?? '';
        // A bucket is `AppBucket<XRecord, XInsert, XUpdate>`: its fields are in those interfaces.
        if (section === 'buckets') {
          for (const type of text.match(/\w+(?=[,>])/g) ?? []) {
            text += file.getInterface(type)?.getText() ?? '';
          }
        }
        members.set(name, text.replace(/\s+/g, ' '));
      }
    }
    sections.set(section, members);
  }
  return sections;
}

/** `bucket orders added`, `query users-by-role changed`, …; empty when the App types are the same. */
export function summarizeChanges(onDisk: string, generated: string): string[] {
  const before = appMembers(onDisk);
  const after = appMembers(generated);
  if (!before || !after) return [];
  const lines: string[] = [];
  for (const section of SECTIONS) {
    const old = before.get(section)!;
    const now = after.get(section)!;
    const names = [...new Set([...old.keys(), ...now.keys()])].sort();
    for (const name of names) {
      const what = `${SINGULAR[section]} ${name}`;
      if (!old.has(name)) lines.push(`${what} added`);
      else if (!now.has(name)) lines.push(`${what} removed`);
      else if (old.get(name) !== now.get(name)) lines.push(`${what} changed`);
    }
  }
  return lines;
}

/** A unified diff of two texts, `context` lines around each change. */
export function unifiedDiff(
  before: string,
  after: string,
  labels: { before: string; after: string },
  context = 3,
): string {
  const a = before.split('\n');
  const b = after.split('\n');
  // Longest common subsequence table, from the ends.
  const width = b.length + 1;
  const lcs = new Int32Array((a.length + 1) * width);
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) {
      lcs[i * width + j] =
        a[i] === b[j]
          ? lcs[(i + 1) * width + j + 1]! + 1
          : Math.max(lcs[(i + 1) * width + j]!, lcs[i * width + j + 1]!);
    }
  }
  type Line = { op: ' ' | '-' | '+'; text: string; ai: number; bi: number };
  const lines: Line[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (i < a.length && j < b.length && a[i] === b[j]) {
      lines.push({ op: ' ', text: a[i]!, ai: i++, bi: j++ });
    } else if (
      i < a.length &&
      (j >= b.length || lcs[(i + 1) * width + j]! >= lcs[i * width + j + 1]!)
    ) {
      lines.push({ op: '-', text: a[i]!, ai: i++, bi: j });
    } else {
      lines.push({ op: '+', text: b[j]!, ai: i, bi: j++ });
    }
  }
  const out = [`--- ${labels.before}`, `+++ ${labels.after}`];
  const changes = lines.flatMap((line, index) => (line.op === ' ' ? [] : [index]));
  for (let c = 0; c < changes.length;) {
    let last = changes[c]!;
    let next = c + 1;
    // Changes closer than two contexts apart share a hunk.
    while (next < changes.length && changes[next]! - last <= 2 * context) last = changes[next++]!;
    const hunk = lines.slice(
      Math.max(0, changes[c]! - context),
      Math.min(lines.length, last + context + 1),
    );
    const first = hunk[0]!;
    const countBefore = hunk.filter((l) => l.op !== '+').length;
    const countAfter = hunk.filter((l) => l.op !== '-').length;
    out.push(`@@ -${first.ai + 1},${countBefore} +${first.bi + 1},${countAfter} @@`);
    for (const line of hunk) out.push(`${line.op}${line.text}`);
    c = next;
  }
  return `${out.join('\n')}\n`;
}
