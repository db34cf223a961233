import { Value } from 'typebox/value';
import { describe, expect, it } from 'vitest';
import {
  ClientRequestFrame,
  ErrorFrame,
  PingFrame,
  PongFrame,
  PushFrame,
  ResultFrame,
  ServerFrame,
  SystemFrame,
  WelcomeFrame,
} from '../../protocol/envelope.js';

/** Frames as noex-server 0.1.4 sent them (shared/protocol/observed-frames.md). */
const observed = {
  welcome: { type: 'welcome', version: '1.0.0', serverTime: 1795708183727, requiresAuth: false },
  result: { id: 3, type: 'result', data: null },
  error: {
    id: 22,
    type: 'error',
    code: 'BUCKET_NOT_DEFINED',
    message: 'Bucket "nope" is not defined',
  },
  errorWithDetails: {
    id: 21,
    type: 'error',
    code: 'VALIDATION_ERROR',
    message: 'Validation failed for bucket "users": name: Field is required',
    details: [{ field: 'name', message: 'Field is required', code: 'required' }],
  },
  push: { type: 'push', channel: 'subscription', subscriptionId: 'sub-3', data: 3 },
  eventPush: {
    type: 'push',
    channel: 'event',
    subscriptionId: 'sub-6',
    data: {
      topic: 'order.created',
      event: { id: 'e', topic: 'order.created', data: {}, timestamp: 1, source: 'api' },
    },
  },
  ping: { type: 'ping', timestamp: 1795708184127 },
  shutdown: { type: 'system', event: 'shutdown', gracePeriodMs: 300 },
  revoked: { type: 'system', event: 'session_revoked', reason: 'Session revoked by administrator' },
};

describe('the envelope schemas', () => {
  it.each([
    [WelcomeFrame, observed.welcome],
    [ResultFrame, observed.result],
    [ErrorFrame, observed.error],
    [ErrorFrame, observed.errorWithDetails],
    [PushFrame, observed.push],
    [PushFrame, observed.eventPush],
    [PingFrame, observed.ping],
    [SystemFrame, observed.shutdown],
    [SystemFrame, observed.revoked],
  ])('accept the real frame %#', (schema, frame) => {
    expect(Value.Check(schema, frame)).toBe(true);
    expect(Value.Check(ServerFrame, frame)).toBe(true);
  });

  it('describe what the client sends', () => {
    expect(
      Value.Check(ClientRequestFrame, { id: 1, type: 'store.get', bucket: 'users', key: 'a' }),
    ).toBe(true);
    expect(Value.Check(ClientRequestFrame, { id: '1', type: 'store.get' })).toBe(false);
    expect(Value.Check(PongFrame, { type: 'pong', timestamp: 1795708184127 })).toBe(true);
  });

  it('reject frames the protocol does not have', () => {
    expect(
      Value.Check(ServerFrame, { type: 'push', channel: 'other', subscriptionId: 's', data: 1 }),
    ).toBe(false);
    expect(Value.Check(ServerFrame, { type: 'system', event: 'reboot' })).toBe(false);
    expect(Value.Check(ServerFrame, { type: 'welcome', version: '1.0.0' })).toBe(false);
  });
});
