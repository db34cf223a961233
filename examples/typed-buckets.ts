/**
 * Typed buckets: records typed by a TypeBox schema and checked against it,
 * both ways. Against NOEX_URL when set, otherwise against the embedded stand-in.
 *
 *   npx tsx examples/typed-buckets.ts
 */
import Type from 'typebox';
import { NoexClient, RequestValidationError } from '../index.js';
import { connectOrExit, prepareServer } from './real-server.js';
import { startStandIn } from './stand-in.js';

const standIn = process.env.NOEX_URL ? undefined : await startStandIn();
const url = process.env.NOEX_URL ?? standIn!.url;
await using client = new NoexClient(url);
await connectOrExit(client, url);
if (!standIn) await prepareServer(client);

const User = Type.Object({
  id: Type.String(),
  name: Type.String({ minLength: 1 }),
  age: Type.Optional(Type.Integer({ minimum: 0 })),
});
const users = client.store.bucket('users', User);

const alice = await users.insert({ name: 'Alice', age: 30 });
console.log(`Inserted ${alice.name} (${alice.age}), id ${alice.id}, version ${alice._version}`);
const older = await users.update(alice.id, { age: 31 });
console.log(`Updated to age ${older.age}, version ${older._version}`);

try {
  await users.insert({ name: '', age: -1 });
} catch (error) {
  if (!(error instanceof RequestValidationError)) throw error;
  console.log(
    'Refused before sending:',
    error.issues.map((i) => `${i.path} ${i.message}`).join('; '),
  );
}

await users.insert({ name: 'Bob' });
await users.insert({ name: 'Carol' });
for await (const user of users.iterate({ pageSize: 2 })) console.log('Paged:', user.name);

await standIn?.close();
console.log('Done.');
