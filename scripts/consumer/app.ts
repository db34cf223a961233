// An ES module of an application that uses noex-client and its test kit, as
// documented: type-checked by scripts/check-consumer.mjs in a fresh project
// that installed the packed tarball, under each compiler setting it tries.
import {
  ConnectionError,
  NoexClient,
  NoexClientError,
  RequestTimeoutError,
  type ClientOptions,
  type ConnectionState,
  type Unsubscribe,
  type WelcomeInfo,
} from 'noex-client';
import { MockError, MockServer, NO_REPLY, type MockServerOptions } from 'noex-client/testing';

const serverOptions: MockServerOptions = { requiresAuth: false };
await using server = await MockServer.start(serverOptions);
server
  .handle('store.insert', ({ data }) => ({
    ...data,
    id: 'u1',
    _version: 1,
    _createdAt: 0,
    _updatedAt: 0,
  }))
  .handle('store.count', () => 1)
  .handle('store.get', () => NO_REPLY)
  .handle('store.delete', () => {
    throw new MockError('NOT_FOUND', 'no such record');
  });

const options: ClientOptions = {
  reconnect: { maxRetries: 3, initialDelayMs: 100 },
  requestTimeoutMs: 1_000,
  auth: { token: 'token' },
};
await using client = new NoexClient(server.url, options);
const welcome: WelcomeInfo = await client.connect();
const state: ConnectionState = client.state;
client.on('reconnecting', (attempt: number) => console.log(attempt, state, welcome.version));

const users = client.store.bucket<{ name: string }>('users');
const user = await users.insert({ name: 'Ann' });
const name: string = user.name;
const count: number = await users.count();
const controller = new AbortController();
await users.get(user.id, { signal: controller.signal, timeoutMs: 50 }).catch((error: unknown) => {
  if (error instanceof RequestTimeoutError || error instanceof ConnectionError) return null;
  if (error instanceof NoexClientError) console.log(error.code, error.message);
  throw error;
});
const unsubscribe: Unsubscribe = await client.store.subscribe('all-users', (data) =>
  console.log(data),
);
unsubscribe();
server.connection.push('sub-1', [{ name }], 'subscription');
console.log(count, server.received.length);

export {};
