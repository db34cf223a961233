/** `noex-client/testing`: a typed in-process stand-in for noex-server, for tests without one. */
export { MockServer, MockConnection, MockError, NO_REPLY } from './testing/mock-server.js';
export type {
  HandlerContext,
  MockHandler,
  MockServerOptions,
  MockSocket,
  ReceivedFrame,
} from './testing/mock-server.js';
