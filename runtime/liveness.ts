/**
 * Notices a dead or half-open connection: once the server has shown that it
 * pings, silence longer than `timeoutMs` (no frame of any kind) means the
 * connection is gone, whatever the socket says. One timer, re-armed lazily,
 * so that a busy connection costs a timestamp per frame.
 */
export class LivenessWatch {
  private lastFrameAt = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly timeoutMs: number,
    private readonly onSilence: (silentMs: number) => void,
  ) {}

  /** Any frame: the connection is alive. A ping also arms the watch. */
  frame(isPing: boolean): void {
    this.lastFrameAt = Date.now();
    if (isPing && this.timer === undefined && this.timeoutMs > 0) this.arm(this.timeoutMs);
  }

  stop(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  private arm(ms: number): void {
    this.timer = setTimeout(() => {
      const silent = Date.now() - this.lastFrameAt;
      if (silent >= this.timeoutMs) {
        this.timer = undefined;
        this.onSilence(silent);
      } else {
        this.arm(this.timeoutMs - silent);
      }
    }, ms);
    (this.timer as { unref?: () => void }).unref?.();
  }
}
