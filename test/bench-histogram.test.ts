import { describe, expect, it } from 'vitest';
import { Histogram } from '../bench/lib.js';

describe('bench latency histogram', () => {
  it('gives quantiles within half a percent, pooled across repeats', () => {
    const exact: number[] = [];
    const parts = [new Histogram(), new Histogram(), new Histogram()];
    for (let i = 0; i < 30_000; i++) {
      // a spread like a closed loop's: most near 0.2 ms, a tail out to 8 ms
      const ms = i % 50 === 0 ? 2 + (i % 7) : 0.1 + ((i * 7919) % 1000) / 5000;
      exact.push(ms);
      parts[i % 3]!.add(ms);
    }
    exact.sort((a, b) => a - b);
    const pooled = new Histogram();
    for (const part of parts) pooled.merge(part);
    expect(pooled.total).toBe(30_000);
    for (const q of [0.5, 0.9, 0.99, 0.999]) {
      const truth = exact[Math.floor(exact.length * q)]!;
      expect(Math.abs(pooled.quantile(q) / truth - 1)).toBeLessThan(0.005);
    }
  });

  it('keeps values outside its range in its end buckets', () => {
    const h = new Histogram();
    h.add(0);
    h.add(1e9);
    expect(h.quantile(0)).toBeLessThan(0.0011);
    expect(h.quantile(0.99)).toBeGreaterThan(9_000);
    expect(new Histogram().quantile(0.5)).toBeNaN();
  });
});
