import Type from 'typebox';
import { describe, expect, it } from 'vitest';
import { defineOperations } from '../../protocol/define.js';
import { payload } from '../../protocol/shapes.js';

const request = payload({ bucket: Type.String(), key: Type.String(), data: Type.Unknown() });
const result = Type.Unknown();

describe('defineOperations', () => {
  it('takes api, method and params from the wire name and the request when left out', () => {
    const { 'store.update': op } = defineOperations({
      'store.update': { request, result, doc: '' },
    });
    expect([op.api, op.method, op.params]).toEqual(['store', 'update', ['bucket', 'key', 'data']]);
  });

  it('leaves out the bucket a bucket method is bound to', () => {
    const { 'store.update': op } = defineOperations({
      'store.update': { request, result, api: 'bucket', doc: '' },
    });
    expect(op.params).toEqual(['key', 'data']);
  });

  it('keeps what an entry declares', () => {
    const { 'store.update': op } = defineOperations({
      'store.update': { request, result, method: 'patch', params: ['...all'], doc: '' },
    });
    expect([op.method, op.params]).toEqual(['patch', ['...all']]);
  });

  it('refuses a namespace that is no client object unless the entry names one', () => {
    expect(() => defineOperations({ 'cache.get': { request, result, doc: '' } })).toThrow(
      'cache.get: not <api>.<method>; declare its api and method',
    );
    expect(
      defineOperations({ 'cache.get': { request, result, api: 'store', doc: '' } })['cache.get']
        .api,
    ).toBe('store');
  });
});
