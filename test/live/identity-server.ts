import type { ClientOptions, NoexClient } from '../../index.js';
import { ADMIN_SECRET, liveClient, startServer, type LiveServer } from './harness.js';

/** A server with built-in identity, its superadmin and its further clients, for the identity live tests. */

// liveClient validates results strictly; these tests also turn reconnect off explicitly.
export const strict = { reconnect: false } as const satisfies ClientOptions;

export interface IdentityServer extends AsyncDisposable {
  server: LiveServer;
  /** Logged in as the virtual superadmin with the admin secret. */
  admin: NoexClient;
  /** A further client on the same server, closed with the rest. */
  client(options?: ClientOptions): NoexClient;
}

/** Starts the `identity` scenario and logs a first client in as the superadmin. */
export async function identityServer(): Promise<IdentityServer> {
  const server = await startServer('identity');
  const clients: NoexClient[] = [];
  const client = (options: ClientOptions = {}) => {
    const c = liveClient(server.url, { ...strict, ...options });
    clients.push(c);
    return c;
  };
  const admin = client();
  await admin.connect();
  await admin.identity.loginWithSecret(ADMIN_SECRET);
  return {
    server,
    admin,
    client,
    [Symbol.asyncDispose]: async () => {
      await Promise.all(clients.map((c) => c.disconnect()));
      await server.stop();
    },
  };
}

/** A connected client logged in as `username`. */
export async function loggedIn(
  live: IdentityServer,
  username: string,
  password: string,
): Promise<NoexClient> {
  const client = live.client();
  await client.connect();
  await client.identity.login(username, password);
  return client;
}
