/**
 * A flooding peer, run in a worker thread so its sending does not share the measuring thread's
 * event loop: until `durationMs` passes (or any message from the parent arrives) it connects, sends a start frame and then `framesPerConnection`
 * media frames as fast as the socket takes them, and reconnects when the server closes it.
 * Reports connections made, frames sent and the close codes it got.
 *
 *   new Worker(new URL('./support/flooder.js', import.meta.url), { workerData: { url, durationMs: 2000, framesPerConnection: 20000, parallel: 10 } })
 */
import { parentPort, workerData } from 'node:worker_threads';
import { WebSocket } from 'ws';

export interface FloodOrder {
  url: string;
  durationMs: number;
  framesPerConnection: number;
  /** Connections flooding at once, each reconnecting when closed. */
  parallel: number;
}

export interface FloodReport {
  connections: number;
  framesSent: number;
  closes: Record<string, number>;
}

const order = workerData as FloodOrder;
const MEDIA = `{"event":"media","sequenceNumber":1,"streamId":"flood","media":{"track":"inbound","timestamp":"0","chunk":1,"payload":"${Buffer.alloc(160, 0xff).toString('base64')}"}}`;
const START = JSON.stringify({ event: 'start', start: { callId: 'flood', streamId: 'flood', tracks: ['inbound'], mediaFormat: { encoding: 'audio/x-mulaw', sampleRate: 8000 } } });

function floodOnce(report: FloodReport): Promise<void> {
  return new Promise((resolve) => {
    const ws = new WebSocket(order.url, { perMessageDeflate: false });
    report.connections++;
    ws.on('error', () => {});
    ws.on('open', () => {
      ws.send(START);
      let sent = 0;
      const burst = (): void => {
        // In slices, so the close frame from the server is read between them.
        let n = 0;
        for (; n < 500 && sent < order.framesPerConnection && ws.readyState === WebSocket.OPEN; n++, sent++) ws.send(MEDIA);
        report.framesSent += n;
        if (ws.readyState !== WebSocket.OPEN) return;
        if (sent < order.framesPerConnection) setImmediate(burst);
        else ws.close(1000); // all sent and still open: no limit cut it, hang up
      };
      burst();
    });
    ws.on('close', (code) => {
      report.closes[code] = (report.closes[code] ?? 0) + 1;
      resolve();
    });
  });
}

async function main(): Promise<void> {
  const report: FloodReport = { connections: 0, framesSent: 0, closes: {} };
  const deadline = Date.now() + order.durationMs;
  let stopped = false;
  parentPort?.on('message', () => {
    stopped = true;
  });
  const loop = async (): Promise<void> => {
    while (!stopped && Date.now() < deadline) await floodOnce(report);
  };
  await Promise.all(Array.from({ length: order.parallel }, loop));
  parentPort?.removeAllListeners('message');
  parentPort?.postMessage(report);
}

void main();
