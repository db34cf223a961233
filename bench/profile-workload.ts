/**
 * What bench/profile.ts profiles: noex-client (validation on, the default)
 * against the minimal server in its own process: store.get and store.insert
 * at 128 in flight, then push delivery into a store.subscribe callback.
 */
import { NoexClient } from '../index.js';
import { FloorClient } from './clients.js';
import { NEW_USER } from './fixtures.js';
import { closedLoop, place, ServerProcess } from './lib.js';

const seconds = Number(process.env.PROFILE_SECONDS ?? 3);
const inFlight = Number(process.env.PROFILE_IN_FLIGHT ?? 128);
place('pinned');
const server = await ServerProcess.start('minimal');
if (typeof server === 'string') throw new Error(server);
// PROFILE_LEVEL=floor profiles the level-2 client instead, for comparison.
const floorLevel = process.env.PROFILE_LEVEL === 'floor';
try {
  const client = floorLevel ? undefined : new NoexClient(server.info.url);
  const floor = floorLevel ? await FloorClient.connect(server.info.url) : undefined;
  await client?.connect();
  const users = client?.store.bucket('users');
  const getPayload = { bucket: 'users', key: 'k' };
  const insertPayload = { bucket: 'users', data: NEW_USER };
  const get = await closedLoop(
    () => (floor ? floor.request('store.get', getPayload) : users!.get('k')),
    inFlight,
    seconds * 1000,
    200,
  );
  const insert = await closedLoop(
    () => (floor ? floor.request('store.insert', insertPayload) : users!.insert(NEW_USER)),
    inFlight,
    seconds * 500,
    200,
  );
  let received = 0;
  let done!: () => void;
  const finished = new Promise<void>((resolve) => (done = resolve));
  const pushes = 200_000;
  const onPush = () => {
    if (++received === pushes + 1) done();
  };
  if (floor) await floor.subscribe('store.subscribe', { query: 'all-users' }, onPush);
  else await client!.store.subscribe('all-users', onPush);
  const t0 = performance.now();
  await server.command('push', { n: pushes });
  await finished;
  const pushRate = (pushes / (performance.now() - t0)) * 1000;
  await floor?.close();
  await client?.disconnect();
  console.log(
    `${floorLevel ? 'level 2 (floor)' : 'noex-client'}: get ${Math.round(get.rps)} req/s (${get.cpuPerReq.toFixed(2)} µs CPU/req), insert ${Math.round(insert.rps)} req/s (${insert.cpuPerReq.toFixed(2)} µs CPU/req), push ${Math.round(pushRate)}/s`,
  );
} finally {
  await server.stop();
}
