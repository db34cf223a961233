// An ES module that imports noex-client alone (no noex-client/testing, whose
// declarations would bring the globals along): `await using` on the client
// must type-check with the package's own declarations, whatever the lib.
import { NoexClient, type ClientOptions } from 'noex-client';

const options: ClientOptions = { lazy: true };
await using client = new NoexClient('ws://localhost:8080', options);
console.log(client.state, await client.store.bucket('users').count());

export {};
