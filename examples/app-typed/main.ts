/**
 * Your application, typed: a client generated from the app's schema, its
 * buckets, queries and procedures typed by name. Needs a real noex-server:
 *
 *   npx noex schema push examples/app-typed/noex.schema.json --to $NOEX_URL   # once: define the app
 *   npx noex generate --from $NOEX_URL --out examples/app-typed/noex.generated.ts
 *   NOEX_URL=ws://localhost:8080 npx tsx examples/app-typed/main.ts
 *
 * (The committed noex.generated.ts was generated from noex.schema.json;
 * generating from the server gives the same types.)
 */
import { RequestValidationError } from 'noex-client';
import { createClient } from './noex.generated.js';

const url = process.env.NOEX_URL;
if (!url) {
  console.error('Set NOEX_URL to a noex-server that has the app (see the comment at the top).');
  process.exit(1);
}

await using client = createClient(url);
await client.connect();

// Buckets by name: `title` is required, `done` and `priority` have defaults.
const tasks = client.store.bucket('tasks');
const write = await tasks.insert({ title: 'Write the docs', priority: 'high', estimate: 3 });
await tasks.insert({ title: 'Review', estimate: 1 });
console.log(`Inserted "${write.title}": priority ${write.priority}, done ${write.done}`);

// Queries by name: params where the query's filter takes them, results typed.
for await (const high of client.store.watch('tasks-by-priority', { priority: 'high' })) {
  console.log(`High priority: ${high.map((task) => task.title).join(', ')}`);
  break;
}
for await (const hours of client.store.watch('open-estimate')) {
  console.log(`Open estimate: ${hours} h`);
  break;
}

// Procedures by name: input from its input spec, result as the schema file declares it.
const { result: done } = await client.procedures.call('complete-task', { id: write.id });
console.log(`Completed "${done.title}" (version ${done._version})`);
const open = await tasks.where({ done: false });
console.log(`Open: ${open.map((task) => task.title).join(', ')}`);

// Records are checked against the bucket's schema before they are sent.
try {
  await tasks.insert({ title: '', estimate: -1 });
} catch (error) {
  if (!(error instanceof RequestValidationError)) throw error;
  console.log(`Refused before sending: ${error.message}`);
}
