/**
 * Token auth and reconnect: the client logs in after every (re)connect and
 * restores its subscriptions. Against NOEX_URL (with NOEX_TOKEN) when set,
 * otherwise against the embedded stand-in, which also drops the connection
 * once to show the reconnect.
 *
 *   npx tsx examples/auth-and-reconnect.ts
 */
import { NoexClient } from '../index.js';
import { connectOrExit, prepareServer } from './real-server.js';
import { startStandIn } from './stand-in.js';

const standIn = process.env.NOEX_URL ? undefined : await startStandIn({ tokens: ['demo-token'] });
const url = process.env.NOEX_URL ?? standIn!.url;
console.log(standIn ? `Using the embedded stand-in at ${url}` : `Using noex-server at ${url}`);

const client = new NoexClient(url, {
  auth: { token: process.env.NOEX_TOKEN ?? 'demo-token' },
  reconnect: { maxRetries: 10, initialDelayMs: 200, maxDelayMs: 5_000 },
  requestTimeoutMs: 5_000,
});
await connectOrExit(client, url);
if (!standIn) await prepareServer(client);
client.on('disconnected', (reason) => console.log(`Disconnected: ${reason}`));
client.on('reconnecting', (attempt) => console.log(`Reconnecting... attempt ${attempt}`));
client.on('reconnected', () => console.log('Reconnected! Subscriptions restored.'));
console.log('Logged in as', (await client.auth.whoami()) ?? 'nobody');
const unsubscribe = await client.store.subscribe('user-count', (count) =>
  console.log('Users:', count),
);

if (standIn) {
  const back = new Promise((resolve) => client.on('reconnected', () => resolve(undefined)));
  standIn.connection.terminate();
  await back;
}
await client.store.bucket('users').insert({ name: 'After the reconnect' });
await new Promise((resolve) => setTimeout(resolve, 50));

unsubscribe();
await client.disconnect();
await standIn?.close();
console.log('Done.');
