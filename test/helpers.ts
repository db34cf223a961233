import { NoexClient } from '../generated/client.js';
import type { ClientOptions } from '../runtime/index.js';
import { MockServer, type MockServerOptions } from '../testing/mock-server.js';

/** A mock server and a client connected to it, both closed by `await using`. */
export async function connectedPair(
  clientOptions: ClientOptions = {},
  serverOptions: MockServerOptions = {},
): Promise<{ server: MockServer; client: NoexClient } & AsyncDisposable> {
  const server = await MockServer.start(serverOptions);
  const client = new NoexClient(server.url, {
    reconnect: false,
    validateResults: 'strict',
    ...clientOptions,
  });
  await client.connect();
  return {
    server,
    client,
    async [Symbol.asyncDispose]() {
      await client.disconnect();
      await server.close();
    },
  };
}

/** The request frames a server received, without their ids. */
export function framesOf(server: MockServer, from = 0): Record<string, unknown>[] {
  return server.received.slice(from).map(({ frame }) => {
    const { id: _id, ...rest } = frame;
    return rest;
  });
}
