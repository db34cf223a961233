import { expect, it, vi } from 'vitest';
import { Value } from 'typebox/value';
import {
  NoexClientError,
  RequestValidationError,
  type RuleEvent,
  type RuleInput,
} from '../../index.js';
import * as schemas from '../../schemas.js';
import { connectedToLive, describeLive } from './harness.js';

const open = () => connectedToLive('open');

const discountRule: RuleInput = {
  id: 'vip-discount',
  name: 'VIP discount',
  description: 'Marks big orders as VIP',
  priority: 10,
  enabled: true,
  tags: ['orders', 'vip'],
  trigger: { type: 'event', topic: 'order.placed' },
  conditions: [{ source: { type: 'event', field: 'total' }, operator: 'gte', value: 100 }],
  actions: [{ type: 'set_fact', key: 'order:${event.orderId}:vip', value: true }],
};

describeLive('live: rules engine against noex-server 0.1.4', () => {
  it('emits an event with data and resolves the stored event with its id, topic, data and timestamp', async () => {
    await using live = await open();
    const before = Date.now();
    const event = await live.client.rules.emit('user.created', { userId: '123' });
    expect(event).toMatchObject({ topic: 'user.created', data: { userId: '123' }, source: 'api' });
    expect(typeof event.id).toBe('string');
    expect(event.timestamp).toBeGreaterThanOrEqual(before);
  });

  it('emits an event with correlationId and causationId and keeps both on the stored event', async () => {
    await using live = await open();
    const event = await live.client.rules.emit(
      'order.completed',
      { orderId: '456' },
      { correlationId: 'corr-1', causationId: 'cause-1' },
    );
    expect(event).toMatchObject({
      topic: 'order.completed',
      data: { orderId: '456' },
      correlationId: 'corr-1',
      causationId: 'cause-1',
    });
  });

  it('keeps causationId only together with a correlationId', async () => {
    await using live = await open();
    const event = await live.client.rules.emit(
      'order.completed',
      { orderId: '789' },
      { causationId: 'cause-only' },
    );
    expect(event).not.toHaveProperty('causationId');
    expect(event).not.toHaveProperty('correlationId');
  });

  it('delivers (event, topic) for an emitted event and the event its rule emits to a pattern subscription, until unsubscribed', async () => {
    await using live = await open();
    const seen: [RuleEvent, string][] = [];
    const unsubscribe = await live.client.rules.subscribe('order.*', (event, topic) =>
      seen.push([event, topic]),
    );

    await live.client.rules.emit('order.created', { orderId: 'o-1' });
    await vi.waitFor(() =>
      expect(seen.map(([, topic]) => topic).sort()).toEqual(['order.confirmed', 'order.created']),
    );
    const created = seen.find(([, topic]) => topic === 'order.created')![0];
    const confirmed = seen.find(([, topic]) => topic === 'order.confirmed')![0];
    expect(created).toMatchObject({
      topic: 'order.created',
      data: { orderId: 'o-1' },
      source: 'api',
    });
    expect(confirmed).toMatchObject({
      topic: 'order.confirmed',
      data: { orderId: 'o-1' },
      source: 'rule',
    });
    // Pushed events match the spec's RuleEvent too (pushes are not checked by validateResults).
    for (const [event] of seen) expect([...Value.Errors(schemas.RuleEvent, event)]).toEqual([]);

    // Topics outside the pattern do not arrive.
    await live.client.rules.emit('user.created', { userId: 'u' });

    unsubscribe();
    // Let the background unsubscribe reach the server, then check nothing more arrives.
    await vi.waitFor(async () => {
      const stats = await live.client.server.stats();
      expect(stats.connections.totalRulesSubscriptions).toBe(0);
    });
    await live.client.rules.emit('order.created', { orderId: 'o-2' });
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(seen).toHaveLength(2);
  });

  it('sets, gets, deletes (true, then false) and reads missing facts as null', async () => {
    await using live = await open();
    const { rules } = live.client;
    const fact = await rules.setFact('user:1:status', 'active');
    expect(fact).toMatchObject({ key: 'user:1:status', value: 'active', version: 1 });
    expect((await rules.setFact('user:1:status', 'away')).version).toBe(2);
    expect(await rules.getFact('user:1:status')).toBe('away');
    expect(await rules.deleteFact('user:1:status')).toBe(true);
    expect(await rules.deleteFact('user:1:status')).toBe(false);
    expect(await rules.getFact('user:1:status')).toBeNull();
  });

  it('queries facts by pattern where * matches exactly one segment, and lists all facts', async () => {
    await using live = await open();
    const { rules } = live.client;
    await rules.setFact('user:1:status', 'active');
    await rules.setFact('user:2:status', 'banned');
    await rules.setFact('user:2:profile:status', 'deep');
    await rules.setFact('order:1:status', 'new');

    const matched = await rules.queryFacts('user:*:status');
    expect(matched.map((f) => f.key).sort()).toEqual(['user:1:status', 'user:2:status']);
    expect(matched.find((f) => f.key === 'user:2:status')?.value).toBe('banned');

    const all = await rules.getAllFacts();
    expect(all.map((f) => f.key).sort()).toEqual([
      'order:1:status',
      'user:1:status',
      'user:2:profile:status',
      'user:2:status',
    ]);
  });

  it('registers a rule, reads it back and lists it, and the rule fires on its event', async () => {
    await using live = await open();
    const { rules } = live.client;
    const registered = await rules.registerRule(discountRule);
    expect(registered).toMatchObject({ id: 'vip-discount', name: 'VIP discount' });

    const rule = await rules.getRule('vip-discount');
    expect(rule).toMatchObject({
      id: 'vip-discount',
      name: 'VIP discount',
      priority: 10,
      enabled: true,
      tags: ['orders', 'vip'],
      trigger: { type: 'event', topic: 'order.placed' },
    });
    const { rules: list } = await rules.getRules();
    expect(list.map((r) => r.id).sort()).toEqual(['confirm-order', 'vip-discount']);
    expect(list.find((r) => r.id === 'vip-discount')).toMatchObject({
      enabled: true,
      priority: 10,
    });

    await rules.emit('order.placed', { orderId: 'big', total: 250 });
    await rules.emit('order.placed', { orderId: 'small', total: 5 });
    expect(await rules.getFact('order:big:vip')).toBe(true);
    expect(await rules.getFact('order:small:vip')).toBeNull();
  });

  it('updates a rule by merging changes, keeping its id', async () => {
    await using live = await open();
    const { rules } = live.client;
    const registered = await rules.registerRule(discountRule);
    const updated = await rules.updateRule('vip-discount', {
      name: 'VIP discount v2',
      priority: 50,
    });
    expect(updated.id).toBe('vip-discount');
    expect(updated.version).toBeGreaterThan(registered.version);
    const rule = await rules.getRule('vip-discount');
    expect(rule).toMatchObject({ name: 'VIP discount v2', priority: 50, tags: ['orders', 'vip'] });
  });

  it('disables a rule so it stops firing, and enables it again', async () => {
    await using live = await open();
    const { rules } = live.client;
    await rules.registerRule(discountRule);
    expect(await rules.disableRule('vip-discount')).toEqual({
      ruleId: 'vip-discount',
      enabled: false,
    });
    expect((await rules.getRule('vip-discount')).enabled).toBe(false);
    await rules.emit('order.placed', { orderId: 'a', total: 500 });
    expect(await rules.getFact('order:a:vip')).toBeNull();

    expect(await rules.enableRule('vip-discount')).toEqual({
      ruleId: 'vip-discount',
      enabled: true,
    });
    await rules.emit('order.placed', { orderId: 'b', total: 500 });
    expect(await rules.getFact('order:b:vip')).toBe(true);
  });

  it('validates a valid rule as valid and an invalid one as invalid with its errors', async () => {
    await using live = await open();
    const { rules } = live.client;
    const valid = await rules.validateRule({ ...discountRule, id: 'not-registered' });
    expect(valid).toMatchObject({ valid: true, errors: [] });

    const invalid = await rules.validateRule({ id: 'broken', trigger: { type: 'nonsense' } });
    expect(invalid.valid).toBe(false);
    expect(invalid.errors.length).toBeGreaterThan(0);
    for (const issue of invalid.errors) expect(issue.severity).toBe('error');
    await expect(rules.getRule('not-registered')).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('unregisters a rule, after which getRule fails with NOT_FOUND', async () => {
    await using live = await open();
    const { rules } = live.client;
    await rules.registerRule(discountRule);
    expect(await rules.unregisterRule('vip-discount')).toEqual({
      ruleId: 'vip-discount',
      unregistered: true,
    });
    const { rules: list } = await rules.getRules();
    expect(list.map((r) => r.id)).toEqual(['confirm-order']);
    const error = await rules.getRule('vip-discount').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NoexClientError);
    expect(error).toMatchObject({ code: 'NOT_FOUND' });
  });

  it('reports engine stats: rule, fact and processed-event counts', async () => {
    await using live = await open();
    const { rules } = live.client;
    await rules.setFact('a:1', 1);
    await rules.emit('order.created', { orderId: 'x' });
    const stats = await rules.stats();
    expect(stats.rulesCount).toBe(1);
    expect(stats.factsCount).toBe(1);
    expect(stats.eventsProcessed).toBeGreaterThanOrEqual(2);
    expect(stats.rulesExecuted).toBeGreaterThanOrEqual(1);
  });

  it('fails with NOT_FOUND for an unknown rule on getRule, enableRule, disableRule and unregisterRule', async () => {
    await using live = await open();
    const { rules } = live.client;
    await expect(rules.getRule('no-such-rule')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(rules.enableRule('no-such-rule')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(rules.disableRule('no-such-rule')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(rules.unregisterRule('no-such-rule')).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('fails updateRule on an unknown rule with INTERNAL_ERROR (the server does not say NOT_FOUND there)', async () => {
    await using live = await open();
    const error = await live.client.rules
      .updateRule('no-such-rule', { priority: 1 })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NoexClientError);
    expect(error).toMatchObject({ code: 'INTERNAL_ERROR' });
    expect((error as Error).message).toContain('not found');
  });

  it('refuses a taken rule id with ALREADY_EXISTS and an invalid rule with VALIDATION_ERROR listing its issues', async () => {
    await using live = await open();
    const { rules } = live.client;
    await expect(
      rules.registerRule({ ...discountRule, id: 'confirm-order' }),
    ).rejects.toMatchObject({ code: 'ALREADY_EXISTS' });
    const error = await rules
      .registerRule({ ...discountRule, trigger: { type: 'event', topic: '' } })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'VALIDATION_ERROR' });
    expect((error as NoexClientError).details).toEqual([
      expect.objectContaining({ path: 'trigger.topic', severity: 'error' }),
    ]);
    await expect(rules.getRule('vip-discount')).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('rejects a rule without tags on the client with a RequestValidationError and sends nothing', async () => {
    await using live = await open();
    const { rules } = live.client;
    const { tags: _tags, ...untagged } = discountRule;
    const error = await rules.registerRule(untagged as RuleInput).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RequestValidationError);
    expect(error).toMatchObject({ code: 'REQUEST_VALIDATION', operation: 'rules.registerRule' });
    expect((error as RequestValidationError).issues.map((i) => i.path).join(' ')).toContain('tags');
    // Nothing reached the server: the rule does not exist there.
    await expect(rules.getRule('vip-discount')).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});
