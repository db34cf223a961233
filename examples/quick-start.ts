/**
 * The quick start: against NOEX_URL when it is set, otherwise against an
 * in-process stand-in built on noex-client/testing.
 *
 *   npx tsx examples/quick-start.ts
 *   NOEX_URL=ws://localhost:8080 npx tsx examples/quick-start.ts
 */
import { NoexClient } from '../index.js';
import { connectOrExit, prepareServer } from './real-server.js';
import { startStandIn } from './stand-in.js';

const standIn = process.env.NOEX_URL ? undefined : await startStandIn();
const url = process.env.NOEX_URL ?? standIn!.url;
console.log(
  standIn
    ? `Using the embedded stand-in at ${url} (set NOEX_URL to use a real noex-server)`
    : `Using noex-server at ${url}`,
);

const client = new NoexClient(url);
const welcome = await connectOrExit(client, url);
console.log('Connected:', welcome);
if (!standIn) await prepareServer(client);

// Store CRUD
const users = client.store.bucket<{ name: string }>('users');
const alice = await users.insert({ name: 'Alice' });
console.log('Inserted:', alice);
console.log('All users:', await users.all());

// Reactive subscription: the current result at once, then every change
const unsubscribe = await client.store.subscribe('all-users', (data) =>
  console.log(
    'Updated:',
    (data as { name: string }[]).map((user) => user.name),
  ),
);
await users.insert({ name: 'Bob' });
await new Promise((resolve) => setTimeout(resolve, 50));

// Rules
const stopEvents = await client.rules.subscribe('user.*', (event, topic) =>
  console.log(`Event ${topic}:`, event.data),
);
const event = await client.rules.emit('user.created', { userId: alice.id });
console.log('Emitted:', event.id);

// Cleanup
unsubscribe();
stopEvents();
await client.disconnect();
await standIn?.close();
console.log('Done.');
