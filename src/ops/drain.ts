/**
 * Graceful drain on SIGTERM/SIGINT: stop taking calls (new upgrades answer 503, `/readyz` says
 * draining), let the calls in progress finish on their own for up to `timeoutMs`, then end the
 * rest with reason `shutdown`; wait until every call's record is on disk, then close the server.
 *
 *   const result = await drain(server, { timeoutMs: 30_000, log, flush: () => records.close() });
 */
import type { CallLog } from '../call/call-log.js';
import type { CallSession } from '../call/call-session.js';

/** What drain needs of the server (`IvrServer` has it). */
export interface Drainable {
  /** New upgrades are refused with 503 from now on; calls in progress go on. */
  stopAccepting(): void;
  calls(): CallSession[];
  close(): Promise<void>;
}

export interface DrainOptions {
  /** How long calls in progress may run on; default 30 s. */
  timeoutMs?: number;
  log?: CallLog;
  /** Called once no call is left, before the server closes (flush and close call records). */
  flush?: () => Promise<void>;
  /** Called as soon as draining starts (readiness turns 503). */
  onDraining?: () => void;
}

export interface DrainResult {
  /** Calls that ended on their own during the drain. */
  finished: number;
  /** Calls ended with reason `shutdown` at the deadline. */
  stopped: number;
}

export async function drain(server: Drainable, options: DrainOptions = {}): Promise<DrainResult> {
  const timeoutMs = options.timeoutMs ?? 30_000;
  const log = options.log;
  options.onDraining?.();
  server.stopAccepting();
  log?.info({ calls: server.calls().length, timeoutMs }, 'draining: no new calls, waiting for calls in progress');

  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), timeoutMs);
  });
  // A stream that upgraded just before the drain may still start its call during it: wait for
  // every call seen, until none is left or the deadline passes.
  const seen = new Set<CallSession>();
  let stopped = 0;
  for (;;) {
    const fresh = server.calls().filter((s) => !seen.has(s));
    if (fresh.length === 0) break;
    for (const s of fresh) seen.add(s);
    // `done` never rejects (a session resolves it whatever ended the call); allSettled anyway.
    const allDone = Promise.allSettled([...seen].map((s) => s.done)).then(() => 'done' as const);
    if ((await Promise.race([allDone, deadline])) === 'done') continue;
    const left = server.calls();
    for (const session of left) {
      seen.add(session);
      stopped++;
      try {
        session.stop('shutdown');
      } catch (err) {
        log?.error({ err: String(err), callId: session.callId }, 'could not stop a call');
      }
    }
    log?.warn({ stopped, timeoutMs }, 'drain timeout: calls still in progress ended with reason shutdown');
    // Their `done` resolves once each record is written.
    await Promise.allSettled(left.map((s) => s.done));
    break;
  }
  clearTimeout(timer);
  try {
    await options.flush?.();
  } catch (err) {
    log?.error({ err: String(err) }, 'flushing call records failed');
  }
  await server.close();
  const result = { finished: seen.size - stopped, stopped };
  log?.info(result, 'drained');
  return result;
}
