import { expect, it } from 'vitest';
import { NoexClient } from '../../generated/client.js';
import { MockServer } from '../../testing/mock-server.js';
import { dropConnection } from '../helpers.js';

it('restores many subscriptions exactly once, with at most 256 subscribe requests in flight', async () => {
  await using server = await MockServer.start();
  let inFlight = 0;
  let most = 0;
  server.handle('store.subscribe', async () => {
    most = Math.max(most, ++inFlight);
    await new Promise((resolve) => setTimeout(resolve, 1));
    inFlight--;
    return { subscriptionId: server.nextSubscriptionId(), data: 0 };
  });
  await using client = new NoexClient(server.url, {
    reconnect: { initialDelayMs: 0, jitterMs: 0 },
  });
  await client.connect();
  const held = await Promise.all(
    Array.from({ length: 600 }, (_, i) => client.store.subscribe(`q${i}`, () => {})),
  );
  most = 0;
  await dropConnection(server, client, 'reconnected');
  const restored = server.connection.frames.filter((f) => f.type === 'store.subscribe');
  expect(restored).toHaveLength(600);
  expect(new Set(restored.map((f) => f.query)).size).toBe(600);
  expect(most).toBeGreaterThan(1);
  expect(most).toBeLessThanOrEqual(256);
  expect(held.every((h) => h.status === 'live')).toBe(true);
});
