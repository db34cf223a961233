import { ProtocolError } from './errors.js';

export type Frame = Record<string, unknown>;

/** A JSON object: not null, not an array. */
export const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** A server frame as a JSON object, or the ProtocolError that says why it is not one. */
export function parseFrame(data: unknown): Frame | ProtocolError {
  if (typeof data !== 'string')
    return new ProtocolError('ignored a binary frame: the protocol is JSON text');
  let frame: unknown;
  try {
    frame = JSON.parse(data);
  } catch {
    return new ProtocolError('ignored a frame that is not JSON', data.slice(0, 200));
  }
  return isObject(frame)
    ? frame
    : new ProtocolError('ignored a frame that is not a JSON object', frame);
}
