import { DisconnectedError, ProtocolError, ResultValidationError, serverError } from './errors.js';
import { isObject, parseFrame, type Frame } from './frames.js';
import { LivenessWatch } from './liveness.js';
import type { FrameLog } from './logging.js';
import { RequestManager, type CallOptions } from './requests.js';
import type { WebSocketLike } from './transport.js';
import type { OperationValidators } from './validate.js';

type Payload = Record<string, unknown>;

/** Server pings come every 30 s by default: two missed, and a margin. */
const DEFAULT_LIVENESS_TIMEOUT_MS = 65_000;
/** How long after the announced end of a shutdown the client stops waiting for the close. */
const SHUTDOWN_MARGIN_MS = 1_000;

/**
 * The request frame as JSON text, the envelope first. The payload never
 * replaces the envelope's `id` or `type`: a payload with either is re-keyed.
 */
function frameText(id: number, type: string, payload: Payload): string {
  if ('id' in payload || 'type' in payload) return JSON.stringify({ ...payload, id, type });
  const fields = JSON.stringify(payload);
  // Operation names are plain identifiers and dots: no escaping needed.
  return `{"id":${id},"type":"${type}"${fields === '{}' ? '}' : `,${fields.slice(1)}`}`;
}

export interface WireSettings {
  readonly validators: OperationValidators;
  readonly validateResults: 'report' | 'strict' | 'off';
  readonly requestTimeoutMs: number;
  readonly heartbeat: boolean;
  readonly livenessTimeoutMs: number | undefined;
}

/** What the wire tells the client about. */
export interface WireHost {
  /** A push for a subscription: `(data)` for query results, `(event, topic)` for rule events. */
  push(subscriptionId: string, data: unknown, topic?: string): void;
  /** The server revoked the session; the close follows. */
  revoked(reason: string): void;
  /** The connection is gone though no close came (silence, a shutdown that never closed). */
  lost(description: string): void;
  /** The result of a request its caller gave up on (timeout, abort): what it created may need releasing. */
  late(type: string, data: unknown): void;
  report(error: unknown): void;
}

/**
 * The traffic of the current connection: requests out and their answers
 * back, pushes, pings and system frames, each frame checked and routed.
 */
export class Wire {
  readonly requests = new RequestManager();
  /** Logs every frame, where the client's logger has a debug level. */
  debug: FrameLog | undefined;
  private socket: WebSocketLike | undefined;
  /** Called before each send where the socket batches its writes (see node.ts). */
  private batch: (() => void) | undefined;
  private readonly liveness: LivenessWatch;
  private shutdownTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly settings: WireSettings,
    private readonly host: WireHost,
  ) {
    this.liveness = new LivenessWatch(
      settings.livenessTimeoutMs ?? DEFAULT_LIVENESS_TIMEOUT_MS,
      (silentMs) => host.lost(`no frame from the server for ${silentMs} ms`),
    );
  }

  use(socket: WebSocketLike | undefined, batch?: () => void): void {
    this.liveness.stop();
    clearTimeout(this.shutdownTimer);
    this.socket = socket;
    this.batch = batch;
  }

  /** Sends a request on the current connection; `onResult` runs as its result is taken. */
  send(
    type: string,
    payload: Payload,
    options?: CallOptions,
    onResult?: (data: unknown) => void,
  ): Promise<unknown> {
    const socket = this.socket;
    if (!socket) return Promise.reject(new DisconnectedError(`${type}: not connected`));
    const signal = options?.signal;
    if (signal?.aborted) return Promise.reject(signal.reason);
    // A request sent while others are in flight joins a batch (see node.ts); a lone one leaves at once.
    if (this.batch && this.requests.size > 0) this.batch();
    const id = this.requests.reserve();
    const text = frameText(id, type, payload);
    const timeoutMs = options?.timeoutMs ?? this.settings.requestTimeoutMs;
    const answered = this.requests.track(id, type, timeoutMs, signal, onResult);
    this.debug?.('send', text);
    try {
      socket.send(text);
    } catch (error) {
      this.requests.take(id)?.reject(error);
    }
    return answered;
  }

  /** Takes one frame; nothing in it can stop the next frame from being read. */
  receive(data: unknown): void {
    try {
      this.route(data);
    } catch (error) {
      const detail = error instanceof Error ? error.message : String(error);
      const text = typeof data === 'string' ? data.slice(0, 200) : data;
      this.host.report(
        new ProtocolError(`ignored a frame that could not be handled: ${detail}`, text),
      );
    }
  }

  private route(data: unknown): void {
    const frame = parseFrame(data);
    if (frame instanceof ProtocolError) return this.host.report(frame);
    this.debug?.('receive', frame);
    this.liveness.frame(frame.type === 'ping');
    switch (frame.type) {
      case 'result':
        return this.onResult(frame);
      case 'error':
        return this.onError(frame);
      case 'push':
        return this.onPush(frame);
      case 'ping':
        return this.onPing(frame);
      case 'system':
        return this.onSystem(frame);
      default:
        this.host.report(
          new ProtocolError(`ignored a frame of unknown type ${JSON.stringify(frame.type)}`, frame),
        );
    }
  }

  private onResult(frame: Frame): void {
    const id = frame.id;
    const pending = typeof id === 'number' ? this.requests.take(id) : undefined;
    if (!pending) {
      const abandoned = typeof id === 'number' ? this.requests.abandonedType(id) : undefined;
      if (abandoned !== undefined) return this.host.late(abandoned, frame.data);
      return this.host.report(
        new ProtocolError(`ignored a result for unknown request id ${JSON.stringify(id)}`, frame),
      );
    }
    const { validateResults, validators } = this.settings;
    const data = frame.data;
    const issues = validateResults === 'off' ? undefined : validators[pending.type]?.result(data);
    if (issues) {
      const error = new ResultValidationError(pending.type, issues, data);
      if (validateResults === 'strict') return pending.reject(error);
      this.host.report(error);
    }
    pending.onResult?.(data);
    pending.resolve(data);
  }

  private onError(frame: Frame): void {
    const code = typeof frame.code === 'string' ? frame.code : 'UNKNOWN_ERROR';
    const message = typeof frame.message === 'string' ? frame.message : `server error ${code}`;
    const error = serverError(code, message, frame.details);
    const id = frame.id;
    const pending = typeof id === 'number' && id !== 0 ? this.requests.take(id) : undefined;
    if (pending) return pending.reject(error);
    if (typeof id === 'number' && this.requests.abandonedType(id) !== undefined) return;
    this.host.report(error);
  }

  private onPush(frame: Frame): void {
    if (typeof frame.subscriptionId !== 'string') {
      return this.host.report(new ProtocolError('ignored a push without a subscriptionId', frame));
    }
    if (frame.channel !== 'event') return this.host.push(frame.subscriptionId, frame.data);
    const data = frame.data;
    if (!isObject(data) || typeof data.topic !== 'string') {
      return this.host.report(new ProtocolError('ignored an event push without a topic', frame));
    }
    this.host.push(frame.subscriptionId, data.event, data.topic);
  }

  private onPing(frame: Frame): void {
    if (!this.settings.heartbeat || typeof frame.timestamp !== 'number') return;
    this.socket?.send(JSON.stringify({ type: 'pong', timestamp: frame.timestamp }));
  }

  private onSystem(frame: Frame): void {
    if (frame.event === 'session_revoked') {
      const reason = typeof frame.reason === 'string' ? frame.reason : 'session revoked';
      this.requests.rejectAll(new DisconnectedError(`session revoked: ${reason}`));
      this.host.revoked(reason);
    } else if (frame.event === 'shutdown') {
      // The server closes when the grace period ends, and the close starts a reconnect;
      // should that close never come, the connection is treated as lost.
      const graceMs = typeof frame.gracePeriodMs === 'number' ? frame.gracePeriodMs : 0;
      clearTimeout(this.shutdownTimer);
      this.shutdownTimer = setTimeout(
        () => this.host.lost('the server shut down'),
        graceMs + SHUTDOWN_MARGIN_MS,
      );
      (this.shutdownTimer as { unref?: () => void }).unref?.();
    }
  }
}
