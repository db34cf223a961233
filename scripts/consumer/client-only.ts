// An ES module that imports noex-client alone (no noex-client/testing, whose
// declarations would bring the globals along): `await using` on the client
// and a call with options must type-check with the package's own
// declarations, whatever the lib (even one without DOM or @types/node).
import { NoexClient, type CallOptions, type ClientOptions } from 'noex-client';

const options: ClientOptions = { lazy: true };
const call: CallOptions = { timeoutMs: 1_000 };
await using client = new NoexClient('ws://localhost:8080', options);
export const state = client.state;
export const count: number = await client.store.bucket('users').count(undefined, call);
