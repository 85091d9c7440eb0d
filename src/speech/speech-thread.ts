import { Worker } from 'node:worker_threads';
import type { SynthReply, SynthRequest } from './synth-request.js';

/**
 * The serving thread's handle on the speech worker (speech-worker.ts): requests go out as
 * messages, answers come back as promises. The worker starts on the first request and does not
 * keep the process alive while idle. A worker that dies, or does not answer a request within
 * its deadline (a synthesizer stuck in a loop), is ended and every request it held fails; the
 * next request starts a fresh one. Nothing here throws into the caller's stack.
 *
 * The worker answers in order, one request at a time, so only the oldest request waiting is
 * being worked on and only it can be late: its deadline (its own timeout plus STUCK_GRACE_MS)
 * counts from when it became the oldest. A burst of slow but working syntheses is not "stuck".
 */

export type SynthAnswer = Extract<SynthReply, { ok: true }>;

/** Extra time a request may take over its own timeout before the worker is deemed stuck. */
const STUCK_GRACE_MS = 10_000;

interface Waiting {
  resolve(answer: SynthAnswer): void;
  reject(err: Error): void;
  timeoutMs: number;
}

export class SpeechThread {
  private worker: Worker | undefined;
  /** Oldest first: the order the worker answers in. */
  private readonly waiting = new Map<number, Waiting>();
  private nextId = 1;
  /** The oldest waiting request's deadline. */
  private watchdog: NodeJS.Timeout | undefined;

  /** `stuckGraceMs`: time over a request's own timeout before the worker is deemed stuck (tests shorten it). */
  constructor(private readonly stuckGraceMs = STUCK_GRACE_MS) {}

  synthesize(request: Omit<SynthRequest, 'id'>): Promise<SynthAnswer> {
    const id = this.nextId++;
    const worker = this.running();
    return new Promise<SynthAnswer>((resolve, reject) => {
      this.waiting.set(id, { resolve, reject, timeoutMs: request.timeoutMs });
      if (this.waiting.size === 1) this.watch(worker);
      worker.ref();
      worker.postMessage({ ...request, id } satisfies SynthRequest);
    });
  }

  /** Sets the deadline of the oldest waiting request, from now (none when nothing waits). */
  private watch(worker: Worker): void {
    clearTimeout(this.watchdog);
    this.watchdog = undefined;
    const oldest = this.waiting.values().next().value;
    if (oldest === undefined) return;
    this.watchdog = setTimeout(() => this.restart(worker, 'the speech worker did not answer in time'), oldest.timeoutMs + this.stuckGraceMs);
    this.watchdog.unref();
  }

  /** Ends the worker (tests, shutdown); later requests start a new one. */
  async close(): Promise<void> {
    const worker = this.worker;
    if (worker === undefined) return;
    this.failAll(worker, 'the speech worker was closed');
    await worker.terminate();
  }

  private running(): Worker {
    if (this.worker !== undefined) return this.worker;
    const worker = new Worker(new URL('./speech-worker.js', import.meta.url));
    worker.on('message', (reply: SynthReply) => this.answer(worker, reply));
    worker.on('error', (err) => this.restart(worker, `the speech worker failed: ${err.message}`));
    worker.on('exit', () => this.failAll(worker, 'the speech worker stopped'));
    worker.unref();
    this.worker = worker;
    return worker;
  }

  private answer(worker: Worker, reply: SynthReply): void {
    const waiting = this.waiting.get(reply.id);
    if (waiting === undefined) return;
    this.waiting.delete(reply.id);
    this.watch(worker);
    if (this.waiting.size === 0) worker.unref();
    if (reply.ok) waiting.resolve(reply);
    else waiting.reject(new Error(reply.message));
  }

  private restart(worker: Worker, why: string): void {
    this.failAll(worker, why);
    void worker.terminate();
  }

  private failAll(worker: Worker, why: string): void {
    if (this.worker !== worker) return;
    this.worker = undefined;
    clearTimeout(this.watchdog);
    this.watchdog = undefined;
    for (const waiting of this.waiting.values()) waiting.reject(new Error(why));
    this.waiting.clear();
  }
}
