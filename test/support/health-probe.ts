/**
 * `/healthz` as a liveness probe would call it during an attack: one timed request, or a probe
 * every 20 ms until stopped. Each answer must be 200; the latencies are in ms.
 */
import assert from 'node:assert/strict';
import { performance } from 'node:perf_hooks';

export async function healthzMs(base: string): Promise<number> {
  const t0 = performance.now();
  const res = await fetch(`${base}/healthz`);
  await res.text();
  assert.equal(res.status, 200);
  return performance.now() - t0;
}

const MIN_PROBES = 20;

export function probeHealth(base: string): { stop(): Promise<number[]> } {
  const latencies: number[] = [];
  let running = true;
  const loop = (async () => {
    // Not counted: the first request pays for the connection and the route's first run.
    await healthzMs(base);
    // At least 20 probes, however short the attack, so the 95th percentile is not the one worst.
    while (running || latencies.length < MIN_PROBES) {
      latencies.push(await healthzMs(base));
      await new Promise((r) => setTimeout(r, 20));
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      return latencies;
    },
  };
}

/**
 * The bound of issue 10 ("`/healthz` answering in < 100 ms during the attack, generous bound"),
 * held by the 95th percentile of the probes; none may take a second (a frozen loop shows there).
 * Not every probe: on this 2-core machine shared by 8 builds (load 12-16) a lone probe sometimes
 * waits ~110 ms for the scheduler with or without an attack, while a blocked event loop (the
 * regex and reload freezes of the issue lasted seconds) fails both checks.
 */
export function assertResponsive(latencies: number[], what: string): void {
  assert.ok(latencies.length >= MIN_PROBES, `${what}: probed ${latencies.length} times`);
  const sorted = [...latencies].sort((a, b) => a - b);
  const p95 = sorted[Math.ceil(0.95 * sorted.length) - 1]!;
  const shown = `p95 ${p95.toFixed(1)} ms, max ${sorted.at(-1)!.toFixed(1)} ms over ${sorted.length} probes`;
  assert.ok(p95 < 100, `${what}: /healthz p95 under 100 ms (${shown})`);
  assert.ok(sorted.at(-1)! < 1000, `${what}: no /healthz over 1 s (${shown})`);
}
