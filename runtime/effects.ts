/**
 * What operations do besides answering, as declared in protocol/ and emitted
 * by codegen into generated/effects.ts. The runtime learns about operations
 * from this table only, never from their names.
 */
export interface OperationEffects {
  /** Opens a session (token in the result's `token`), restores one (token in the request's `token`) or closes it. */
  readonly session?: 'opens' | 'restores' | 'closes';
  /** The login the client sends itself: with the `token` or the `credentials` of `ClientOptions.auth`. */
  readonly autoLogin?: 'token' | 'credentials';
  /** The request's `data` is a whole record or a patch of one. */
  readonly sends?: 'record' | 'patch';
  /** How the result holds records. */
  readonly returns?: 'record' | 'recordOrNull' | 'records' | 'page';
  /** For a subscribe operation: the wire name of its unsubscribe operation. */
  readonly unsubscribe?: string;
  /** Request and result fields that carry credentials. */
  readonly secret?: readonly string[];
  /** A pure read that is safe to send again. */
  readonly safeRetry?: boolean;
  /** Done, it ends the subscriptions made `of` that operation whose payload `field` equals the request's `from`. */
  readonly endsSubscriptions?: {
    readonly of: string;
    readonly field: string;
    readonly from: string;
  };
}

/** Effects by operation wire name; operations without any are absent. */
export type EffectsTable = Readonly<Record<string, OperationEffects>>;
