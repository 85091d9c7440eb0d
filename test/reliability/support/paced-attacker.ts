/**
 * A hostile peer that stays inside the flood limit, run in a worker thread so its sending does
 * not share the measuring thread's event loop: `streams` connections each send a start frame
 * (`callId` as given) and then `frame` at `framesPerSecond` (3 every 20 ms for 150/s, as Plivo
 * paces media) until `durationMs` passes or the parent sends any message. Reports the frames
 * sent and the close codes got.
 *
 *   new Worker(new URL('./support/paced-attacker.js', import.meta.url), { workerData: { url, streams: 8, framesPerSecond: 150, durationMs: 60_000, frame } })
 */
import { Worker, parentPort, workerData } from 'node:worker_threads';
import { WebSocket } from 'ws';

export interface AttackOrder {
  url: string;
  streams: number;
  framesPerSecond: number;
  durationMs: number;
  /** The text frame sent over and over after the start frame. */
  frame: string;
  callId?: string;
}

export interface AttackReport {
  framesSent: number;
  closes: Record<string, number>;
}

const TICK_MS = 20;

/** A `playedStream` frame whose name has `bytes` characters: the memory-growth attack of issue 10. */
export function longCheckpointFrame(bytes: number): string {
  return JSON.stringify({ event: 'playedStream', sequenceNumber: 7, streamId: 'attack', name: 'n'.repeat(bytes) });
}

/** Starts the attack in a worker; `stop` ends it early. Both resolve with the report once every stream closed. */
export function startAttack(order: AttackOrder): { done: Promise<AttackReport>; stop(): Promise<AttackReport> } {
  const worker = new Worker(new URL(import.meta.url), { workerData: order });
  const done = new Promise<AttackReport>((resolve, reject) => {
    worker.once('message', (report: AttackReport) => {
      resolve(report);
      void worker.terminate();
    });
    worker.once('error', reject);
  });
  return {
    done,
    stop() {
      worker.postMessage('stop');
      return done;
    },
  };
}

function attack(order: AttackOrder, report: AttackReport, stopped: () => boolean): Promise<void> {
  return new Promise((resolve) => {
    const ws = new WebSocket(order.url, { perMessageDeflate: false });
    ws.on('error', () => {});
    ws.on('open', () => {
      ws.send(JSON.stringify({
        event: 'start',
        start: { callId: order.callId ?? 'attack', streamId: 'attack', tracks: ['inbound'], mediaFormat: { encoding: 'audio/x-mulaw', sampleRate: 8000 } },
      }));
      const perTick = (order.framesPerSecond * TICK_MS) / 1000;
      const t0 = Date.now();
      let sent = 0;
      const timer = setInterval(() => {
        if (stopped() || ws.readyState !== WebSocket.OPEN) {
          clearInterval(timer);
          if (ws.readyState === WebSocket.OPEN) ws.close(1000);
          return;
        }
        // Catch up to the schedule (timers drift), never ahead of it.
        const due = Math.floor(((Date.now() - t0) / TICK_MS + 1) * perTick);
        for (; sent < due; sent++) ws.send(order.frame);
      }, TICK_MS);
      ws.on('close', () => {
        clearInterval(timer);
        report.framesSent += sent;
      });
    });
    ws.on('close', (code) => {
      report.closes[code] = (report.closes[code] ?? 0) + 1;
      resolve();
    });
  });
}

async function main(): Promise<void> {
  const order = workerData as AttackOrder;
  const report: AttackReport = { framesSent: 0, closes: {} };
  let stop = false;
  const deadline = Date.now() + order.durationMs;
  parentPort?.on('message', () => {
    stop = true;
  });
  const stopped = (): boolean => stop || Date.now() >= deadline;
  await Promise.all(Array.from({ length: order.streams }, () => attack(order, report, stopped)));
  parentPort?.removeAllListeners('message');
  parentPort?.postMessage(report);
}

if (parentPort !== null && workerData !== null && typeof workerData === 'object' && 'frame' in (workerData as object)) void main();
