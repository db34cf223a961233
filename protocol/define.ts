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
}

/** Declares one namespace's operations, keeping their wire names as literal keys. */
export function defineOperations<const T extends Record<string, OperationSpec>>(ops: T): T {
  return ops;
}
