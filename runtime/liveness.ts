/**
 * Notices a dead or half-open connection: once the server has shown that it
 * pings, a whole `timeoutMs` without any frame means the connection is gone,
 * whatever the socket says. Silence is noticed between one and two bounds
 * after the last frame: a frame only sets a flag, so a busy connection pays
 * nothing per frame.
 */
export class LivenessWatch {
  private heard = false;
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly timeoutMs: number,
    private readonly onSilence: (silentMs: number) => void,
  ) {}

  /** Any frame: the connection is alive. A ping also starts the watch. */
  frame(isPing: boolean): void {
    this.heard = true;
    if (isPing && this.timer === undefined && this.timeoutMs > 0) this.arm();
  }

  stop(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  private arm(): void {
    this.heard = false;
    this.timer = setTimeout(() => {
      if (this.heard) return this.arm();
      this.timer = undefined;
      this.onSilence(this.timeoutMs);
    }, this.timeoutMs);
    (this.timer as { unref?: () => void }).unref?.();
  }
}
