import { describe, expect, it, vi } from 'vitest';
import { NoexClient } from '../../generated/client.js';
import { NoexClientError, RateLimitedError } from '../../index.js';
import { MockError, MockServer, NO_REPLY } from '../../testing/mock-server.js';

/** RateLimitedError, and the retries of safe reads. */

const fast = { initialDelayMs: 0, jitterMs: 0 };
const BUCKETS = { count: 0, names: [] };

describe('rate limits and retries', () => {
  const limited = (retryAfterMs?: number) =>
    new MockError(
      'RATE_LIMITED',
      'Rate limit exceeded',
      retryAfterMs === undefined ? undefined : { retryAfterMs },
    );

  it('raises RateLimitedError with the server’s retryAfterMs', async () => {
    await using server = await MockServer.start();
    server.handle('store.buckets', () => {
      throw limited(1234);
    });
    server.handle('store.subscribe', () => {
      throw new MockError('RATE_LIMITED', 'Subscription limit reached (max 1 per connection)');
    });
    await using client = new NoexClient(server.url, { reconnect: false });
    await client.connect();
    const error = await client.store.buckets().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RateLimitedError);
    expect(error).toBeInstanceOf(NoexClientError);
    expect(error).toMatchObject({ code: 'RATE_LIMITED', retryAfterMs: 1234 });
    const subscribe = await client.store.subscribe('q', () => {}).catch((e: unknown) => e);
    expect(subscribe).toBeInstanceOf(RateLimitedError);
    expect((subscribe as RateLimitedError).retryAfterMs).toBeUndefined();
  });

  it('retries a safe read after retryAfterMs, and never a write', async () => {
    await using server = await MockServer.start();
    const times: number[] = [];
    server.handle('store.get', () => {
      times.push(performance.now());
      if (times.length < 3) throw limited(40);
      return null;
    });
    server.handle('store.insert', () => {
      throw limited(10);
    });
    await using client = new NoexClient(server.url, { reconnect: false, retry: { maxRetries: 3 } });
    await client.connect();
    await expect(client.store.bucket('users').get('a')).resolves.toBeNull();
    expect(times).toHaveLength(3);
    expect(times[1]! - times[0]!).toBeGreaterThanOrEqual(38);
    expect(times[2]! - times[1]!).toBeGreaterThanOrEqual(38);
    await expect(client.store.bucket('users').insert({ name: 'x' })).rejects.toBeInstanceOf(
      RateLimitedError,
    );
    expect(server.requests('store.insert')).toHaveLength(1);
  });

  it('gives up after maxRetries, lets shouldRetry veto, and takes a per-call override', async () => {
    await using server = await MockServer.start();
    server.handle('store.buckets', () => {
      throw limited(1);
    });
    const shouldRetry = vi.fn((_error: NoexClientError, attempt: number) => attempt < 2);
    await using client = new NoexClient(server.url, {
      reconnect: false,
      retry: { maxRetries: 5, shouldRetry },
    });
    await client.connect();
    await expect(client.store.buckets()).rejects.toBeInstanceOf(RateLimitedError);
    expect(server.requests('store.buckets')).toHaveLength(2);
    expect(shouldRetry).toHaveBeenCalledWith(expect.any(RateLimitedError), 2, 'store.buckets');
    await expect(client.store.buckets({ retry: false })).rejects.toBeInstanceOf(RateLimitedError);
    expect(server.requests('store.buckets')).toHaveLength(3);
  });

  it('retries a safe read whose connection dropped before the answer, on the new connection', async () => {
    await using server = await MockServer.start();
    let first = true;
    server.handle('store.buckets', (_payload, { connection }) => {
      if (first) {
        first = false;
        connection.terminate();
        return NO_REPLY;
      }
      return BUCKETS;
    });
    await using client = new NoexClient(server.url, { reconnect: fast });
    await client.connect();
    await expect(client.store.buckets({ retry: 1 })).resolves.toEqual(BUCKETS);
    expect(server.connections).toHaveLength(2);
  });

  it('does not retry without a retry policy', async () => {
    await using server = await MockServer.start();
    server.handle('store.buckets', () => {
      throw new MockError('BACKPRESSURE', 'busy');
    });
    await using client = new NoexClient(server.url, { reconnect: false });
    await client.connect();
    await expect(client.store.buckets()).rejects.toMatchObject({ code: 'BACKPRESSURE' });
    expect(server.requests('store.buckets')).toHaveLength(1);
  });
});
