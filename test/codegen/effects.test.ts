import { describe, expect, it } from 'vitest';
import type { Schema } from '../../codegen/schema.js';
import { generate } from '../../codegen/generate.js';
import { effects } from '../../generated/effects.js';
import { operations as declared, type OperationSpec } from '../../protocol/index.js';
import { miniSpec } from './mini-spec.js';

/** Field names that carry credentials wherever they occur. */
const credentials = 'token password currentPassword newPassword secret adminSecret'.split(' ');

function unmarkedCredentials(schema: Schema, path: string): string[] {
  const found: string[] = [];
  for (const [name, field] of Object.entries(schema.properties ?? {})) {
    if (credentials.includes(name) && !field.secret) found.push(`${path}.${name}`);
    found.push(...unmarkedCredentials(field, `${path}.${name}`));
  }
  schema.anyOf?.forEach((member, i) => found.push(...unmarkedCredentials(member, `${path}|${i}`)));
  if (schema.items) found.push(...unmarkedCredentials(schema.items, `${path}[]`));
  return found;
}

const operations: Readonly<Record<string, OperationSpec>> = declared;

describe('operation effects', () => {
  it('marks every credential field of every request and result secret', () => {
    const unmarked = Object.entries(operations).flatMap(([name, op]) => [
      ...unmarkedCredentials(op.request as Schema, `${name} request`),
      ...unmarkedCredentials(op.result as Schema, `${name} result`),
    ]);
    expect(unmarked).toEqual([]);
  });

  it('lists the secret fields of each operation that has any', () => {
    expect(effects['identity.login']?.secret).toEqual(['password', 'token']);
    expect(effects['identity.changePassword']?.secret).toEqual(['currentPassword', 'newPassword']);
    expect(effects['auth.login']?.secret).toEqual(['token']);
  });

  it('says which operations open, restore and close a session, and which log in by themselves', () => {
    const by = (key: 'session' | 'autoLogin') =>
      Object.fromEntries(
        Object.entries(effects)
          .filter(([, e]) => e[key] !== undefined)
          .map(([name, e]) => [name, e[key]]),
      );
    expect(by('session')).toEqual({
      'auth.login': 'restores',
      'auth.logout': 'closes',
      'identity.login': 'opens',
      'identity.loginWithSecret': 'opens',
      'identity.refreshSession': 'opens',
      'identity.logout': 'closes',
    });
    expect(by('autoLogin')).toEqual({ 'auth.login': 'token', 'identity.login': 'credentials' });
  });

  it('pairs every subscribe operation with its unsubscribe', () => {
    for (const [name, op] of Object.entries(operations)) {
      if (op.kind !== 'subscribe') continue;
      const pair = effects[name]?.unsubscribe;
      expect(pair, name).toBeDefined();
      expect(operations[pair!]?.kind, name).toBe('unsubscribe');
    }
  });

  it('retries only operations that change nothing', () => {
    const reads = Object.keys(effects).filter((name) => effects[name]!.safeRetry);
    for (const name of reads) {
      expect(operations[name]!.kind ?? 'call', name).toBe('call');
      expect(effects[name]!.session, name).toBeUndefined();
      expect(effects[name]!.sends, name).toBeUndefined();
    }
  });

  it('refuses a subscribe operation without its unsubscribe', async () => {
    const { unsubscribe: _, ...subscribe } = miniSpec['store.subscribe'];
    await expect(generate({ ...miniSpec, 'store.subscribe': subscribe })).rejects.toThrow(
      'store.subscribe: a subscribe operation, and only one, names its unsubscribe',
    );
  });
});
