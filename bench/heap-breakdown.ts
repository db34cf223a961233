/**
 * Where the heap of an active subscription goes: heap snapshots before and
 * after opening `n` subscriptions, the objects new in the second grouped by
 * kind (an object by its property names, a closure by its function, a
 * context by the variables it holds), bytes and count per subscription.
 *
 * In a process of its own (the bench's heap would make the snapshots large):
 *   node --import tsx bench/heap-breakdown.ts <ws url> <n> <L2 | on>
 * prints the groups as JSON; breakdown() runs it from the bench.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readFileSync, rmSync } from 'node:fs';
import { writeHeapSnapshot } from 'node:v8';
import { ROOT } from './lib.js';
import type { MemoryLevel } from './memory.js';

export interface HeapGroup {
  kind: string;
  bytesPerSubscription: number;
  countPerSubscription: number;
}

/** Groups under this share of the total are summed into one line. */
const SMALL = 0.01;

/** Runs this file in a child process against `url`; the groups, largest first. */
export function breakdown(url: string, n: number, level: MemoryLevel): HeapGroup[] {
  const out = execFileSync(
    process.execPath,
    ['--expose-gc', '--import', 'tsx', fileURLToPath(import.meta.url), url, String(n), level],
    {
      cwd: join(ROOT, 'bench/.out'),
      env: { ...process.env, NODE_OPTIONS: '' },
      maxBuffer: 1 << 24,
    },
  );
  return JSON.parse(out.toString()) as HeapGroup[];
}

interface Snapshot {
  snapshot: {
    meta: {
      node_fields: string[];
      node_types: [string[]];
      edge_fields: string[];
      edge_types: [string[]];
    };
  };
  nodes: number[];
  edges: number[];
  strings: string[];
}

/** Writes a snapshot to a file (parsed only once both are taken, so that the parsing adds nothing to the second). */
function writeSnapshot(): string {
  (globalThis as { gc?: () => void }).gc?.();
  return writeHeapSnapshot();
}

function readSnapshot(file: string): Snapshot {
  const snapshot = JSON.parse(readFileSync(file, 'utf8')) as Snapshot;
  rmSync(file);
  return snapshot;
}

/** Every node of the snapshot: id, self size and a label saying what kind of thing it is. */
function* nodesOf(s: Snapshot): Generator<{ id: number; size: number; label: string }> {
  const { node_fields, node_types, edge_fields, edge_types } = s.snapshot.meta;
  const nf = node_fields.length;
  const ef = edge_fields.length;
  const [TYPE, NAME, ID, SIZE, EDGES] = ['type', 'name', 'id', 'self_size', 'edge_count'].map((f) =>
    node_fields.indexOf(f),
  ) as [number, number, number, number, number];
  const [ETYPE, ENAME] = ['type', 'name_or_index'].map((f) => edge_fields.indexOf(f)) as [
    number,
    number,
  ];
  let edge = 0;
  for (let i = 0; i < s.nodes.length; i += nf) {
    const type = node_types[0][s.nodes[i + TYPE]!]!;
    const name = s.strings[s.nodes[i + NAME]!]!;
    const edgeCount = s.nodes[i + EDGES]!;
    const named = (edgeType: string) => {
      const names: string[] = [];
      for (let e = edge; e < edge + edgeCount * ef; e += ef)
        if (edge_types[0][s.edges[e + ETYPE]!] === edgeType)
          names.push(s.strings[s.edges[e + ENAME]!]!);
      return names;
    };
    let label: string;
    if (type === 'object' && name === 'system / Context')
      label = `context {${named('context').join(', ')}}`;
    else if (type === 'object' && name === 'Object')
      label = `object {${named('property').join(', ')}}`;
    else if (type === 'closure') label = `closure ${name || '(anonymous)'}`;
    else if (type.includes('string')) label = 'string';
    else if (type === 'array' && name === '') label = 'array (storage of Maps, Sets and arrays)';
    else if (type === 'code') label = 'compiled code (JIT, not per subscription)';
    else label = `${type} ${name}`.slice(0, 80);
    yield { id: s.nodes[i + ID]!, size: s.nodes[i + SIZE]!, label };
    edge += edgeCount * ef;
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [url, count, level] = process.argv.slice(2) as [string, string, MemoryLevel];
  const n = Number(count);
  const { subscriber } = await import('./memory.js');
  const client = await subscriber(level, url);
  // One-time allocations (maps, shapes, compiled code) land before the first snapshot.
  const warm = await Promise.all(Array.from({ length: 200 }, client.subscribe));
  const first = writeSnapshot();
  const held = await Promise.all(Array.from({ length: n }, client.subscribe));
  const second = writeSnapshot();
  await client.close();
  const before = new Set<number>();
  for (const node of nodesOf(readSnapshot(first))) before.add(node.id);
  const groups = new Map<string, { bytes: number; count: number }>();
  let total = 0;
  for (const node of nodesOf(readSnapshot(second))) {
    if (before.has(node.id)) continue;
    const group = groups.get(node.label) ?? { bytes: 0, count: 0 };
    group.bytes += node.size;
    group.count++;
    groups.set(node.label, group);
    total += node.size;
  }
  const out: HeapGroup[] = [];
  let rest = 0;
  for (const [kind, { bytes, count: c }] of [...groups].sort((a, b) => b[1].bytes - a[1].bytes)) {
    if (bytes < total * SMALL) rest += bytes;
    else out.push({ kind, bytesPerSubscription: bytes / n, countPerSubscription: c / n });
  }
  out.push({ kind: 'the rest', bytesPerSubscription: rest / n, countPerSubscription: NaN });
  process.stdout.write(JSON.stringify(out));
  process.exit(held.length + warm.length > 0 ? 0 : 1);
}
