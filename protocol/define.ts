import type { TSchema } from 'typebox';

/** The client objects an operation can become a method of. */
export type ApiName =
  'store' | 'bucket' | 'rules' | 'auth' | 'identity' | 'procedures' | 'audit' | 'server';

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
}

/** Declares one namespace's operations, keeping their wire names as literal keys. */
export function defineOperations<const T extends Record<string, OperationSpec>>(ops: T): T {
  return ops;
}
