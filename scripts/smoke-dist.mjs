// Loads the built package both ways — ESM (`import`) and CommonJS (`require`),
// through its own name and exports map — and runs a client against the mock
// server from each. The global WebSocket is removed first, so the client falls
// back to the `ws` package as it does on Node 20 (Node 22+ would otherwise use
// its global WebSocket and never load `ws`).
import { createRequire } from 'node:module';

delete globalThis.WebSocket;
const require = createRequire(import.meta.url);

async function smoke(flavour, client, testing) {
  const { NoexClient, NoexClientError } = client;
  const { MockServer } = testing;
  const server = await MockServer.start();
  server.handle('store.insert', ({ data }) => ({
    id: 'a',
    ...data,
    _version: 1,
    _createdAt: 1,
    _updatedAt: 1,
  }));
  const errors = [];
  const noex = new NoexClient(server.url, { reconnect: false, validateResults: 'strict' });
  noex.on('error', (e) => errors.push(e));
  try {
    await noex.connect();
    const record = await noex.store.bucket('users').insert({ name: 'Alice' });
    if (record.id !== 'a' || record.name !== 'Alice')
      throw new Error(`unexpected record ${JSON.stringify(record)}`);
    const failed = await noex.request('store.nope', {}).catch((e) => e);
    if (!(failed instanceof NoexClientError))
      throw new Error(`expected a NoexClientError, got ${failed}`);
    if (errors.length) throw errors[0];
    console.log(`smoke-dist: ${flavour} ok (connected over ws, inserted, typed errors)`);
  } finally {
    await noex.disconnect();
    await server.close();
  }
}

await smoke('ESM', await import('noex-client'), await import('noex-client/testing'));
await smoke('CJS', require('noex-client'), require('noex-client/testing'));

const esmPath = import.meta.resolve('noex-client');
const cjsPath = require.resolve('noex-client');
if (!/\/dist\/index\.js$/.test(esmPath) || !/\/dist\/cjs\/index\.js$/.test(cjsPath)) {
  throw new Error(`exports map resolved ${esmPath} and ${cjsPath}`);
}
if (typeof globalThis.WebSocket !== 'undefined') throw new Error('a global WebSocket appeared');
console.log('smoke-dist: with no global WebSocket both builds connected through the ws package');
