import { BAD_FRAME_KINDS, INBOUND_EVENTS, type BadFrameKind, type InboundEvent } from './frames.js';

/** What `stats()` returns: plain numbers, cheap to keep, for `/healthz`, tests and metrics. */
export interface ServerStatsSnapshot {
  connections: { open: number; total: number };
  calls: { active: number; total: number; byFlow: Record<string, number>; endedBy: Record<string, number> };
  framesIn: Record<InboundEvent, number>;
  badFrames: Record<BadFrameKind, number>;
  /** Streams closed for want of a start frame, or for naming an unknown flow. */
  startTimeouts: number;
  unknownFlows: number;
  /** Exceptions caught in a connection's handlers (each one a bug worth a look). */
  handlerErrors: number;
  /** Streams cut by the overload limits (src/plivo/limits.ts), and upgrades refused at `maxCalls` (always present in `stats()`; optional for snapshots built elsewhere). */
  limits?: { floods: number; slowReaders: number; refusedBusy: number };
}

/** Counters the connections update; `snapshot()` copies them. */
export class ServerStats {
  private readonly s: ServerStatsSnapshot & Required<Pick<ServerStatsSnapshot, 'limits'>> = {
    connections: { open: 0, total: 0 },
    calls: { active: 0, total: 0, byFlow: {}, endedBy: {} },
    framesIn: Object.fromEntries(INBOUND_EVENTS.map((e) => [e, 0])) as Record<InboundEvent, number>,
    badFrames: Object.fromEntries(BAD_FRAME_KINDS.map((k) => [k, 0])) as Record<BadFrameKind, number>,
    startTimeouts: 0,
    unknownFlows: 0,
    handlerErrors: 0,
    limits: { floods: 0, slowReaders: 0, refusedBusy: 0 },
  };

  connectionOpened(): void {
    this.s.connections.open++;
    this.s.connections.total++;
  }
  connectionClosed(): void {
    this.s.connections.open--;
  }
  callStarted(flowId: string): void {
    this.s.calls.active++;
    this.s.calls.total++;
    this.s.calls.byFlow[flowId] = (this.s.calls.byFlow[flowId] ?? 0) + 1;
  }
  callEnded(reason: string): void {
    this.s.calls.active--;
    this.s.calls.endedBy[reason] = (this.s.calls.endedBy[reason] ?? 0) + 1;
  }
  frameIn(event: InboundEvent): void {
    // 50 media frames a second per call: a named access stays monomorphic, where a keyed one with
    // the few other event names the site also sees goes megamorphic (a stub-cache probe per frame).
    if (event === 'media') this.s.framesIn.media++;
    else this.s.framesIn[event]++;
  }
  badFrame(kind: BadFrameKind): void {
    this.s.badFrames[kind]++;
  }
  startTimeout(): void {
    this.s.startTimeouts++;
  }
  unknownFlow(): void {
    this.s.unknownFlows++;
  }
  handlerError(): void {
    this.s.handlerErrors++;
  }
  limitHit(limit: 'floods' | 'slowReaders' | 'refusedBusy'): void {
    this.s.limits[limit]++;
  }

  snapshot(): ServerStatsSnapshot {
    return structuredClone(this.s);
  }
}
