import { isConnectionFailure } from './errors.js';
import type { AuthOptions, WelcomeInfo } from './types.js';

export interface LoginStep {
  readonly type: 'auth.login' | 'identity.login';
  readonly payload: Record<string, unknown>;
}

const issuesToken = new Set([
  'identity.login',
  'identity.loginWithSecret',
  'identity.refreshSession',
]);
const endsSession = new Set(['auth.logout', 'identity.logout']);

/**
 * The login a connection needs. A session the user opened at run time
 * (`auth.login`, `identity.login`, ...) is restored by its token after a
 * reconnect; the configured `auth` logs in where the server requires it.
 */
export class Session {
  private token: string | undefined;

  constructor(private readonly auth: AuthOptions | undefined) {}

  /** Learns from a successful call whether it opened or closed a session. */
  observe(type: string, payload: Record<string, unknown>, result: unknown): void {
    if (type === 'auth.login') this.token = payload.token as string;
    else if (issuesToken.has(type)) {
      const token = (result as { token?: unknown } | null)?.token;
      if (typeof token === 'string') this.token = token;
    } else if (endsSession.has(type)) this.token = undefined;
  }

  forget(): void {
    this.token = undefined;
  }

  /** What to send after a welcome, in order of preference; each is a fallback for the one before. */
  steps(welcome: WelcomeInfo): LoginStep[] {
    const steps: LoginStep[] = [];
    if (this.token !== undefined)
      steps.push({ type: 'auth.login', payload: { token: this.token } });
    if (welcome.requiresAuth && this.auth?.token !== undefined && this.auth.token !== this.token) {
      steps.push({ type: 'auth.login', payload: { token: this.auth.token } });
    } else if (welcome.requiresAuth && this.auth?.credentials) {
      const { username, password } = this.auth.credentials;
      steps.push({ type: 'identity.login', payload: { username, password } });
    }
    return steps;
  }

  /**
   * Logs a new connection in: each step in turn until one succeeds. Throws the
   * last refusal where the server requires auth (and any connection failure);
   * otherwise returns it, for the caller to report, and goes on unauthenticated.
   */
  async login(
    welcome: WelcomeInfo,
    send: (type: string, payload: Record<string, unknown>) => Promise<unknown>,
  ): Promise<unknown> {
    let refusal: unknown;
    for (const step of this.steps(welcome)) {
      try {
        this.observe(step.type, step.payload, await send(step.type, step.payload));
        return undefined;
      } catch (error) {
        if (isConnectionFailure(error)) throw error;
        refusal = error;
        this.forget();
      }
    }
    if (refusal !== undefined && welcome.requiresAuth) throw refusal;
    return refusal;
  }
}
