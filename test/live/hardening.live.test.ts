import { expect, it, vi } from 'vitest';
import { describeLive, liveClient, startServer } from './harness.js';

/**
 * Every subscription the real server reports as created is either held by the
 * application (through its `Unsubscribe`) or released by the client, whatever
 * happened to the call: aborted before it was sent, right after, timed out
 * before its result, or aborted after it.
 */
describeLive('live: subscriptions the application gave up on are released', () => {
  it('leaves the server holding exactly the subscriptions the application holds', async () => {
    const live = await startServer('open');
    const client = liveClient(live.url);
    await client.connect();
    const counts = async () => {
      const [connection] = await client.server.connections();
      return [connection!.storeSubscriptionCount, connection!.rulesSubscriptionCount];
    };
    const attempts: Promise<unknown>[] = [];
    for (let i = 0; i < 25; i++) {
      const early = new AbortController();
      attempts.push(
        client.store.subscribe('all-users', () => {}, undefined, { signal: early.signal }),
      );
      early.abort(new Error('aborted after send'));
      const events = new AbortController();
      attempts.push(client.rules.subscribe('order.*', () => {}, { signal: events.signal }));
      events.abort(new Error('aborted after send'));
    }
    attempts.push(
      client.store.subscribe('all-users', () => {}, undefined, {
        signal: AbortSignal.abort(new Error('aborted before send')),
      }),
    );
    // A deadline shorter than the server's answer: its result arrives after the call gave up.
    for (let i = 0; i < 5; i++) {
      attempts.push(client.store.subscribe('all-users', () => {}, undefined, { timeoutMs: 0.001 }));
      attempts.push(client.rules.subscribe('a.*', () => {}, { timeoutMs: 0.001 }));
    }
    const outcomes = await Promise.allSettled(attempts);
    const held: Array<() => void> = [
      await client.store.subscribe('all-users', () => {}),
      await client.rules.subscribe('order.*', () => {}),
      await client.rules.subscribe('user.*', () => {}),
    ];
    const lateAbort = new AbortController();
    const kept = await client.store.subscribe('all-users', () => {}, undefined, {
      signal: lateAbort.signal,
    });
    lateAbort.abort();
    held.push(kept);

    expect(outcomes.filter((o) => o.status === 'rejected').length).toBeGreaterThanOrEqual(51);
    const resolved = outcomes.flatMap((o) =>
      o.status === 'fulfilled' ? [o.value as () => void] : [],
    );
    held.push(...resolved);
    await vi.waitFor(async () => {
      const [store, rules] = await counts();
      expect(store! + rules!).toBe(held.length);
    });
    for (const unsubscribe of held) unsubscribe();
    await vi.waitFor(async () => expect(await counts()).toEqual([0, 0]));
  });
});
