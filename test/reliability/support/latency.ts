/** A caller's response latency on the echo flow (reliability-flows.ts), for the overload test and the attack benches. */
import { performance } from 'node:perf_hooks';
import type { PlivoClient } from '../../support/plivo-client.js';

/**
 * DTMF->response latency: from a key press to the first frame the engine sends back, `rounds`
 * times on the echo flow (key, its tone, the menu prompt again, both acknowledged).
 */
export async function dtmfLatencies(c: PlivoClient, rounds: number): Promise<number[]> {
  await c.next((f) => f.event === 'checkpoint', 5000);
  c.ackAll();
  const latencies: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const from = c.frames.length;
    const t0 = performance.now();
    c.press(i % 2 === 0 ? '1' : '2');
    await c.waitFor(() => true, { from, timeoutMs: 5000 });
    latencies.push(performance.now() - t0);
    c.cursor = from;
    await c.next((f) => f.event === 'checkpoint', 5000); // the tone
    c.ackAll();
    await c.next((f) => f.event === 'checkpoint', 5000); // the menu prompt again
    c.ackAll();
  }
  return latencies;
}

export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
}
