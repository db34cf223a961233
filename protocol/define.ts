import type { TSchema } from 'typebox';
import type { ServerErrorCode } from './codes.js';

import { apis } from './apis.js';

/** The client objects an operation can become a method of (protocol/apis.ts). */
export type ApiName = keyof typeof apis;

/**
 * How a method's positional parameters map onto the request payload.
 * - `'field'`: one parameter, sent as the payload field of that name.
 * - `'...name'`: one object parameter named `name` whose properties are the
 *   request fields no other parameter covers, spread into the payload.
 */
export type ParamSpec = string;

export interface OperationSpec {
  /** Payload fields next to the envelope's `id` and `type`. */
  readonly request: TSchema;
  /** The `data` of the server's result frame. */
  readonly result: TSchema;
  readonly api: ApiName;
  readonly method: string;
  readonly params: readonly ParamSpec[];
  /**
   * `call` (default) resolves the result; `void` resolves nothing;
   * `subscribe` takes a callback after the first parameter and resolves an
   * `Unsubscribe`; `unsubscribe` also forgets the local subscription.
   */
  readonly kind?: 'call' | 'void' | 'subscribe' | 'unsubscribe';
  /** The method resolves this field of the result (`{entries}` → `entries`); `request()` keeps the whole result. */
  readonly unwrap?: string;
  /** For `subscribe`: the callback's parameters, in order. */
  readonly callback?: Readonly<Record<string, TSchema>>;
  /** One line for the generated method's doc comment. */
  readonly doc: string;
  /**
   * The error codes the server answers this operation with, besides those any
   * operation can meet (UNAUTHORIZED, FORBIDDEN and RATE_LIMITED from its gates).
   */
  readonly errors?: readonly ServerErrorCode[];
  /** A short use of the method, for its doc comment: `client.` calls, one per line. */
  readonly example?: string;
  /**
   * What the operation does to the connection's session: `opens` one (its
   * token is the result's `token`), `restores` one (the token is the request's
   * `token`) or `closes` it. The client restores an open session after a reconnect.
   */
  readonly session?: 'opens' | 'restores' | 'closes';
  /**
   * The login the client sends by itself where the server requires auth:
   * with `ClientOptions.auth.token` or with `auth.credentials`.
   */
  readonly autoLogin?: 'token' | 'credentials';
  /** The request's `data` is a record (`record`) or some of its fields (`patch`). */
  readonly sends?: 'record' | 'patch';
  /** How the result holds records: one, one or null, an array, or a page's `records`. */
  readonly returns?: 'record' | 'recordOrNull' | 'records' | 'page';
  /** For `subscribe`: the wire name of the operation that cancels the subscription. */
  readonly unsubscribe?: string;
  /** A pure read: resending it after a lost answer changes nothing on the server. */
  readonly safeRetry?: true;
  /**
   * Done, it ends the subscriptions (made `of` that operation) whose payload
   * `field` equals this request's `from` field: the server ends them silently,
   * the client ends its own visibly.
   */
  readonly endsSubscriptions?: {
    readonly of: string;
    readonly field: string;
    readonly from: string;
  };
}

/**
 * An operation as a protocol file declares it. What follows from its wire name
 * may be left out: `api` is the namespace (`rules.emit` → `rules`; bucket
 * methods say `'bucket'`), `method` the suffix (`emit`), and `params` the
 * request's fields in order, but the `bucket` a bucket method is bound to.
 */
export type OperationDeclaration = Omit<OperationSpec, 'api' | 'method' | 'params'> &
  Partial<Pick<OperationSpec, 'api' | 'method' | 'params'>>;

/** Declares one namespace's operations, keeping their wire names as literal keys. */
export function defineOperations<const T extends Record<string, OperationDeclaration>>(
  ops: T,
): { readonly [K in keyof T]: T[K] & OperationSpec } {
  return Object.fromEntries(
    Object.entries(ops).map(([name, op]) => [name, withDefaults(name, op)]),
  ) as never;
}

function withDefaults(name: string, op: OperationDeclaration): OperationSpec {
  const [namespace, suffix] = name.split('.') as [string, string | undefined];
  const api = op.api ?? (namespace in apis ? (namespace as ApiName) : undefined);
  if (!api || !suffix) throw new Error(`${name}: not <api>.<method>; declare its api and method`);
  const fields = Object.keys((op.request as { properties?: object }).properties ?? {});
  const bound = 'boundIn' in apis[api] ? api : undefined;
  const params = op.params ?? fields.filter((field) => field !== bound);
  return { ...op, api, method: op.method ?? suffix, params };
}
