import { ConnectionError, isConnectionFailure } from './errors.js';
import type { EffectsTable } from './effects.js';
import type { WelcomeInfo } from './events.js';

export interface Credentials {
  username: string;
  password: string;
}

/** A value, or a function (sync or async) the client calls for a fresh one on every connect. */
export type Supplied<T> = T | (() => T | Promise<T>);

export interface AuthOptions {
  /**
   * Logged in with after every connect where the server requires auth. A
   * function is called on every connect and reconnect (never cached), so it
   * can hand in a fresh token each time.
   */
  token?: Supplied<string>;
  /** Logged in with after every connect where the server requires auth; a function as for `token`. */
  credentials?: Supplied<Credentials>;
}

type Send = (type: string, payload: Record<string, unknown>) => Promise<unknown>;
interface Step {
  readonly type: string;
  readonly payload: Record<string, unknown>;
}

/**
 * The login a connection needs, from the operations the spec marks: a
 * session opened at run time is restored by its token after a reconnect
 * (the operation that `restores` a session); the configured `auth` logs in
 * with the operations marked `autoLogin` where the server requires it.
 */
export class Session {
  /** The token of a session the application opened at run time. */
  private token: string | undefined;
  /** Whether this connection logged in with a value from an auth function, which can give a fresh one. */
  private supplied = false;
  private readonly restoreType: string | undefined;
  private readonly loginTypes: { token?: string; credentials?: string } = {};

  constructor(
    private readonly auth: AuthOptions | undefined,
    private readonly effects: EffectsTable,
  ) {
    let restoreType: string | undefined;
    for (const [type, effect] of Object.entries(effects)) {
      if (effect.session === 'restores') restoreType = type;
      if (effect.autoLogin) this.loginTypes[effect.autoLogin] = type;
    }
    this.restoreType = restoreType;
  }

  /** Learns from a successful call whether it opened, restored or closed a session. */
  observe(type: string, payload: Record<string, unknown>, result: unknown): void {
    const effect = this.effects[type]?.session;
    if (effect === 'restores') this.token = payload.token as string;
    else if (effect === 'opens') {
      const token = (result as { token?: unknown } | null)?.token;
      if (typeof token === 'string') this.token = token;
    } else if (effect === 'closes') this.token = undefined;
    if (effect) this.supplied = false;
  }

  forget(): void {
    this.token = undefined;
    this.supplied = false;
  }

  /**
   * Logs a new connection in: the run-time session first, then the configured
   * auth, until one succeeds. Throws the last refusal where the server
   * requires auth (and any connection failure, and a failing auth function);
   * otherwise returns it, for the caller to report, and goes on unauthenticated.
   */
  async login(welcome: WelcomeInfo, send: Send): Promise<unknown> {
    this.supplied = false;
    let refusal: unknown;
    const restored = this.token;
    if (restored !== undefined && this.restoreType) {
      try {
        await this.run({ type: this.restoreType, payload: { token: restored } }, send);
        return undefined;
      } catch (error) {
        if (isConnectionFailure(error)) throw error;
        refusal = error;
        this.forget();
      }
    }
    if (welcome.requiresAuth) {
      const step = await this.configured();
      // A configured token that is the run-time session's was tried just now.
      if (step && !(restored !== undefined && step.payload.token === restored)) {
        try {
          await this.run(step, send);
          // A function's value is asked for afresh on every connect, never restored from this one.
          this.supplied = typeof (this.auth?.token ?? this.auth?.credentials) === 'function';
          if (this.supplied) this.token = undefined;
          return undefined;
        } catch (error) {
          if (isConnectionFailure(error)) throw error;
          refusal = error;
        }
      }
    }
    if (refusal !== undefined && welcome.requiresAuth) throw refusal;
    return refusal;
  }

  /** Whether a call refused as unauthorized may log in again with a fresh value and be retried. */
  get canRefresh(): boolean {
    return this.supplied;
  }

  /** Logs in again with a fresh value from the auth function. */
  async refresh(send: Send): Promise<void> {
    const step = await this.configured();
    if (step) await this.run(step, send);
  }

  private async run(step: Step, send: Send): Promise<void> {
    this.observe(step.type, step.payload, await send(step.type, step.payload));
  }

  /** The login the configured auth asks for, its value fresh from its function. */
  private async configured(): Promise<Step | undefined> {
    const { token, credentials } = this.auth ?? {};
    const { token: tokenLogin, credentials: credentialsLogin } = this.loginTypes;
    if (token !== undefined && tokenLogin) {
      return { type: tokenLogin, payload: { token: await supply(token, 'token') } };
    }
    if (credentials !== undefined && credentialsLogin) {
      const { username, password } = await supply(credentials, 'credentials');
      return { type: credentialsLogin, payload: { username, password } };
    }
    return undefined;
  }
}

async function supply<T>(value: Supplied<T>, option: string): Promise<T> {
  if (typeof value !== 'function') return value;
  try {
    return await (value as () => T | Promise<T>)();
  } catch (error) {
    throw new ConnectionError(
      `the auth ${option} function failed: ${(error as Error)?.message}`,
      error,
    );
  }
}
