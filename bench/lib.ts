/** The bench's plumbing: where processes run, the server child, the closed-loop runner, heap readings. */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { cpus } from 'node:os';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

/** The repository root (NOEX_BENCH_ROOT when this file runs from a bundle elsewhere). */
export const ROOT =
  process.env.NOEX_BENCH_ROOT ?? join(dirname(fileURLToPath(import.meta.url)), '..');

// ---- placement: pinned to cores or not ----

/**
 * `pinned`: the client on core 0, every server child on core 1, so that
 * neither measures the other's scheduling. `unpinned`: both on any core, as
 * on a laptop or a small VM, where they compete for the same cores.
 */
export type Placement = 'pinned' | 'unpinned';

/** Whether `taskset` and two cores exist; without them every run is unpinned. */
export const CAN_PIN =
  cpus().length >= 2 &&
  spawnSync('taskset', ['-p', String(process.pid)], { stdio: 'ignore' }).status === 0;
const ANY_CORE = `0-${cpus().length - 1}`;
let placement: Placement = 'unpinned';

/** Every thread of `pid` (-a: V8's and libuv's too) to `cores`. */
function setAffinity(pid: number | undefined, cores: string): void {
  if (pid !== undefined)
    spawnSync('taskset', ['-a', '-p', '-c', cores, String(pid)], { stdio: 'ignore' });
}

/** Moves this process and every server child to `mode`'s cores. */
export function place(mode: Placement): void {
  if (!CAN_PIN) return;
  placement = mode;
  setAffinity(process.pid, mode === 'pinned' ? '0' : ANY_CORE);
  for (const child of children) setAffinity(child.pid, mode === 'pinned' ? '1' : ANY_CORE);
}

// ---- the server child ----

export interface ServerInfo {
  url: string;
  echoUrl?: string;
  key?: string;
  version?: string;
}

const children = new Set<ChildProcess>();
function killAll(): void {
  for (const child of children) child.kill('SIGKILL');
}
process.on('exit', killAll);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    killAll();
    process.exit(130);
  });
}

export class ServerProcess {
  private seq = 0;
  private readonly waiting = new Map<number, (body: Record<string, unknown>) => void>();

  private constructor(
    private readonly child: ChildProcess,
    readonly info: ServerInfo,
  ) {
    child.on('message', (message: { seq?: number }) => {
      if (typeof message.seq !== 'number') return;
      this.waiting.get(message.seq)?.(message as Record<string, unknown>);
      this.waiting.delete(message.seq);
    });
  }

  /** Starts bench/server.ts in `mode`, placed as the client is (see place); resolves the reason instead when it cannot run. */
  static start(mode: 'minimal' | 'real'): Promise<ServerProcess | string> {
    const command = [process.execPath, '--import', 'tsx', join(ROOT, 'bench/server.ts'), mode];
    const placed = CAN_PIN && placement === 'pinned' ? ['taskset', '-c', '1', ...command] : command;
    const child = spawn(placed[0]!, placed.slice(1), {
      cwd: ROOT,
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      env: { ...process.env, NODE_OPTIONS: '' },
    });
    children.add(child);
    // Unpinned: off the client's mask, which a child inherits.
    if (CAN_PIN && placement === 'unpinned') setAffinity(child.pid, ANY_CORE);
    child.on('exit', () => children.delete(child));
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        reject(new Error(`bench server (${mode}) did not start within 20 s`));
      }, 20_000);
      child.once('message', (message: ServerInfo & { ready?: boolean; unavailable?: string }) => {
        clearTimeout(timer);
        if (message.ready) resolve(new ServerProcess(child, message));
        else {
          child.kill('SIGKILL');
          resolve(message.unavailable ?? 'unknown');
        }
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`bench server (${mode}) exited with ${code}`));
      });
    });
  }

  command(cmd: string, extra: Record<string, unknown> = {}): Promise<Record<string, unknown>> {
    const seq = ++this.seq;
    return new Promise((resolve) => {
      this.waiting.set(seq, resolve);
      this.child.send({ seq, cmd, ...extra });
    });
  }

  /** The server's CPU time (user + system, µs). */
  async cpu(): Promise<number> {
    const { cpu } = (await this.command('cpu')) as { cpu: NodeJS.CpuUsage };
    return cpu.user + cpu.system;
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null) return;
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.child.send({ seq: ++this.seq, cmd: 'stop' });
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 3_000);
    await exited;
    clearTimeout(timer);
  }
}

// ---- closed loop ----

export interface LoopResult {
  rps: number;
  p50: number;
  p99: number;
  /** Client CPU (user + system) per completed request, µs. */
  cpuPerReq: number;
  /** Server CPU as a share of one core over the window. */
  serverCpu: number;
  requests: number;
  /** The latencies of the measured window as a histogram (see Histogram), for pooling repeats. */
  histogram: Histogram;
}

const latencies = new Float64Array(4_000_000);

/**
 * Latencies in logarithmic buckets 0.5 % wide, from 1 µs to 10 s: quantiles
 * within 0.5 %, in 13 KB whatever the number of samples, so that pooling
 * every repeat's latencies puts no weight on the heap being measured.
 */
export class Histogram {
  static readonly MIN_MS = 0.001;
  static readonly GROWTH = 1.005;
  private static readonly LOG = Math.log(Histogram.GROWTH);
  readonly counts = new Uint32Array(Math.ceil(Math.log(1e7) / Histogram.LOG) + 1);
  total = 0;

  add(ms: number): void {
    const bucket = Math.floor(
      Math.log(Math.max(ms, Histogram.MIN_MS) / Histogram.MIN_MS) / Histogram.LOG,
    );
    this.counts[Math.min(bucket, this.counts.length - 1)]!++;
    this.total++;
  }

  merge(other: Histogram): void {
    for (let i = 0; i < this.counts.length; i++) this.counts[i]! += other.counts[i]!;
    this.total += other.total;
  }

  /** The q-quantile, as the middle of its bucket (ms). */
  quantile(q: number): number {
    if (this.total === 0) return NaN;
    const rank = Math.min(this.total - 1, Math.floor(this.total * q));
    let seen = 0;
    for (let i = 0; i < this.counts.length; i++) {
      seen += this.counts[i]!;
      if (seen > rank) return Histogram.MIN_MS * Histogram.GROWTH ** (i + 0.5);
    }
    return NaN;
  }
}

/**
 * K workers, each awaiting its request and then sending the next, for
 * `warmupMs` unmeasured and `durationMs` measured; latency in ms.
 */
export async function closedLoop(
  send: () => Promise<unknown>,
  inFlight: number,
  durationMs: number,
  warmupMs: number,
  server?: ServerProcess,
): Promise<LoopResult> {
  let measuring = false;
  let stop = false;
  let count = 0;
  const worker = async () => {
    while (!stop) {
      const started = performance.now();
      await send();
      if (measuring && count < latencies.length) latencies[count++] = performance.now() - started;
    }
  };
  const workers = Array.from({ length: inFlight }, worker);
  await sleep(warmupMs);
  const serverBefore = server ? await server.cpu() : 0;
  count = 0;
  measuring = true;
  const cpuBefore = process.cpuUsage();
  const t0 = performance.now();
  await sleep(durationMs);
  measuring = false;
  const elapsed = performance.now() - t0;
  const cpu = process.cpuUsage(cpuBefore);
  const requests = count;
  const serverAfter = server ? await server.cpu() : 0;
  stop = true;
  await Promise.all(workers);
  const sorted = latencies.subarray(0, requests).sort();
  const histogram = new Histogram();
  for (let i = 0; i < requests; i++) histogram.add(sorted[i]!);
  return {
    rps: (requests / elapsed) * 1000,
    p50: sorted[Math.floor(requests * 0.5)] ?? NaN,
    p99: sorted[Math.min(requests - 1, Math.floor(requests * 0.99))] ?? NaN,
    cpuPerReq: (cpu.user + cpu.system) / requests,
    serverCpu: server ? (serverAfter - serverBefore) / 1000 / elapsed : NaN,
    requests,
    histogram,
  };
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export function median(values: number[]): number {
  const sorted = values.filter((v) => !Number.isNaN(v)).sort((a, b) => a - b);
  if (sorted.length === 0) return NaN;
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/**
 * Over repeated results: the median of each rate and CPU figure, and the
 * latency quantiles of all their samples pooled. A tail figure needs many
 * samples: one short window holds a handful of GC pauses, so its own p99 jumps
 * with whether a few more requests happened to wait on one.
 */
export function medianOf(results: LoopResult[]): LoopResult {
  const pick = (key: 'rps' | 'cpuPerReq' | 'serverCpu' | 'requests') =>
    median(results.map((r) => r[key]));
  const pooled = new Histogram();
  for (const result of results) pooled.merge(result.histogram);
  return {
    rps: pick('rps'),
    p50: pooled.quantile(0.5),
    p99: pooled.quantile(0.99),
    cpuPerReq: pick('cpuPerReq'),
    serverCpu: pick('serverCpu'),
    requests: pick('requests'),
    histogram: pooled,
  };
}

// ---- heap ----

const gc = (globalThis as { gc?: () => void }).gc;

/** heapUsed after full collections. */
async function collectedHeap(): Promise<number> {
  if (!gc) throw new Error('run node with --expose-gc');
  for (let i = 0; i < 4; i++) {
    gc();
    await new Promise((resolve) => setImmediate(resolve));
  }
  return process.memoryUsage().heapUsed;
}

/**
 * heapUsed once it has stopped moving: two collected readings 50 ms apart
 * within 32 KB (at most a second). A client just closed can stay reachable
 * for some tens of milliseconds (its socket's close is still under way); it
 * must be gone before a reading starts, not be freed in the middle of one.
 */
export async function settledHeap(): Promise<number> {
  let last = await collectedHeap();
  for (let i = 0; i < 20; i++) {
    await sleep(50);
    const now = await collectedHeap();
    if (Math.abs(now - last) < 32 * 1024) return now;
    last = now;
  }
  return last;
}
