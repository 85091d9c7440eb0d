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

export function probeHealth(base: string): { stop(): Promise<number[]> } {
  const latencies: number[] = [];
  let running = true;
  const loop = (async () => {
    while (running) {
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
