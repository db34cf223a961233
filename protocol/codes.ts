/** The server's error and close codes, kept apart from the schemas so that using them costs no TypeBox. */

/** Error codes the server sends in `error` frames. */
export const ServerErrorCode = {
  PARSE_ERROR: 'PARSE_ERROR',
  INVALID_REQUEST: 'INVALID_REQUEST',
  UNKNOWN_OPERATION: 'UNKNOWN_OPERATION',
  VALIDATION_ERROR: 'VALIDATION_ERROR',
  NOT_FOUND: 'NOT_FOUND',
  ALREADY_EXISTS: 'ALREADY_EXISTS',
  CONFLICT: 'CONFLICT',
  UNAUTHORIZED: 'UNAUTHORIZED',
  FORBIDDEN: 'FORBIDDEN',
  RATE_LIMITED: 'RATE_LIMITED',
  BACKPRESSURE: 'BACKPRESSURE',
  INTERNAL_ERROR: 'INTERNAL_ERROR',
  BUCKET_NOT_DEFINED: 'BUCKET_NOT_DEFINED',
  QUERY_NOT_DEFINED: 'QUERY_NOT_DEFINED',
  RULES_NOT_AVAILABLE: 'RULES_NOT_AVAILABLE',
  SESSION_REVOKED: 'SESSION_REVOKED',
} as const;
export type ServerErrorCode = (typeof ServerErrorCode)[keyof typeof ServerErrorCode];

/** WebSocket close codes the server uses. */
export const CloseCode = {
  NORMAL: 1000,
  GOING_AWAY: 1001,
  UNSUPPORTED_DATA: 1003,
  MESSAGE_TOO_BIG: 1009,
  HEARTBEAT_TIMEOUT: 4001,
  SESSION_REVOKED: 4002,
  TOO_MANY_CONNECTIONS: 4003,
} as const;
export type CloseCode = (typeof CloseCode)[keyof typeof CloseCode];
