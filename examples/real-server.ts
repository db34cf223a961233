/**
 * What the examples do when NOEX_URL names a real noex-server: connect or, when
 * that fails, say why in one line and exit with status 1; and define the bucket
 * and queries the examples use (`users`, `all-users`, `user-count`) where the
 * server does not have them yet.
 */
import { ConnectionError, NoexClientError, type NoexClient, type WelcomeInfo } from '../index.js';

export async function connectOrExit(client: NoexClient, url: string): Promise<WelcomeInfo> {
  try {
    return await client.connect();
  } catch (error) {
    if (error instanceof ConnectionError) {
      console.error(
        `${error.message}. Is noex-server running there? Or unset NOEX_URL to run against the embedded stand-in.`,
      );
    } else if (error instanceof NoexClientError) {
      console.error(
        `noex-server at ${url} refused the connection: ${error.message} (${error.code})`,
      );
    } else {
      throw error;
    }
    process.exit(1);
  }
}

/** Defines `users`, `all-users` and `user-count` where the server lacks them. */
export async function prepareServer(client: NoexClient): Promise<void> {
  const { names } = await client.store.buckets();
  if (!names.includes('users')) {
    await client.store.defineBucket('users', {
      key: 'id',
      schema: {
        id: { type: 'string', generated: 'uuid' },
        name: { type: 'string', required: true },
        age: { type: 'number' },
      },
    });
    console.log('Defined the bucket users');
  }
  const { queries } = await client.store.listQueries();
  const defined = new Set(queries.map((query) => query.name));
  if (!defined.has('all-users')) {
    await client.store.defineQuery('all-users', { bucket: 'users' });
    console.log('Defined the query all-users');
  }
  if (!defined.has('user-count')) {
    await client.store.defineQuery('user-count', {
      bucket: 'users',
      aggregate: { function: 'count' },
    });
    console.log('Defined the query user-count');
  }
}
