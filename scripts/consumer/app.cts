// A CommonJS module of an application (`require` under node16/nodenext): the
// package's CommonJS entry points and declarations.
import { NoexClient, NoexClientError } from 'noex-client';
import { MockServer } from 'noex-client/testing';

export async function main(): Promise<void> {
  const server = await MockServer.start();
  server.handle('store.count', () => 0);
  const client = new NoexClient(server.url);
  try {
    await client.connect();
    const count: number = await client.store.bucket('users').count();
    console.log(count);
  } catch (error) {
    if (error instanceof NoexClientError) console.log(error.code);
  } finally {
    await client[Symbol.asyncDispose]();
    await server.close();
  }
}
