import type { ReconnectOptions } from './types.js';

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
