/** How the client reconnects after the connection drops. */
export interface ReconnectOptions {
  /** Attempts before giving up; default Infinity. */
  maxRetries?: number;
  /** Delay before the first attempt; default 1 000 ms. */
  initialDelayMs?: number;
  /** Cap of the exponential delay; default 30 000 ms. */
  maxDelayMs?: number;
  /** Growth of the delay per attempt; default 2. */
  backoffMultiplier?: number;
  /** Random extra delay of up to this many ms, so clients do not reconnect in lockstep; default 500. */
  jitterMs?: number;
}

export type ReconnectPolicy = Required<ReconnectOptions>;

export const defaultReconnect: ReconnectPolicy = {
  maxRetries: Infinity,
  initialDelayMs: 1_000,
  maxDelayMs: 30_000,
  backoffMultiplier: 2,
  jitterMs: 500,
};

export function reconnectPolicy(
  option: boolean | ReconnectOptions | undefined,
): ReconnectPolicy | undefined {
  if (option === false) return undefined;
  return { ...defaultReconnect, ...(typeof option === 'object' ? option : {}) };
}

/**
 * Delay before attempt `attempt` (from 1): exponential from `initialDelayMs`,
 * capped at `maxDelayMs`, plus up to `jitterMs` of random delay so that many
 * clients dropped together do not come back in lockstep.
 */
export function backoffDelay(
  policy: ReconnectPolicy,
  attempt: number,
  random = Math.random,
): number {
  const exponential = policy.initialDelayMs * policy.backoffMultiplier ** (attempt - 1);
  return Math.min(policy.maxDelayMs, exponential) + random() * policy.jitterMs;
}
