// The same as client-only.ts, as CommonJS (`require`).
import { NoexClient } from 'noex-client';

export async function main(): Promise<void> {
  await using client = new NoexClient('ws://localhost:8080');
  await client.connect();
}
