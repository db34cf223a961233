import { NoexClient } from '../generated/client.js';
import type { ClientEvents, ClientOptions } from '../runtime/index.js';
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
  return closedTogether(server, client);
}

/** A server and a client of it as one value that `await using` closes: the client, then the server. */
export function closedTogether<Client extends { disconnect(): Promise<void> }>(
  server: MockServer,
  client: Client,
): { server: MockServer; client: Client } & AsyncDisposable {
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

/** The one method of a client that {@link nextEvent} needs. */
type Listenable = Pick<NoexClient, 'on'>;

/** Resolves with the arguments of the client's next `event`, then stops listening. */
export function nextEvent<E extends keyof ClientEvents>(
  client: Listenable,
  event: E,
): Promise<ClientEvents[E]> {
  return new Promise((resolve) => {
    const off = client.on(event, (...args) => {
      off();
      resolve(args);
    });
  });
}

/** Drops the client's connection from the server side and waits for the client's next `until`. */
export async function dropConnection(
  server: MockServer,
  client: Listenable,
  until: 'reconnecting' | 'reconnected',
): Promise<void> {
  const seen = nextEvent(client, until);
  server.connection.terminate();
  await seen;
}
