/**
 * Subscriptions as async iterators: `for await` over a reactive query and over
 * rule events; `break` unsubscribes. Against NOEX_URL when set, otherwise
 * against the embedded stand-in.
 *
 *   npx tsx examples/watch.ts
 */
import { NoexClient } from '../index.js';
import { connectOrExit, prepareServer } from './real-server.js';
import { startStandIn } from './stand-in.js';

const standIn = process.env.NOEX_URL ? undefined : await startStandIn();
const url = process.env.NOEX_URL ?? standIn!.url;
await using client = new NoexClient(url);
await connectOrExit(client, url);
if (!standIn) await prepareServer(client);
const users = client.store.bucket<{ name: string }>('users');

const start = (await users.count()) as number;
setTimeout(async () => {
  for (const name of ['Ann', 'Ben', 'Cid']) await users.insert({ name });
}, 10);
for await (const count of client.store.watch('user-count')) {
  console.log('Users:', count);
  if ((count as number) >= start + 3) break;
}

const events = client.rules.watch('order.*');
const next = events.next();
await client.rules.emit('order.created', { orderId: 'o-1' });
const { value } = await next;
console.log(`Event ${value!.topic}:`, value!.event.data);
await events.return!();

await standIn?.close();
console.log('Done.');
