/**
 * Time, injected: the real clock under `ivr serve`, a simulated one under `ivr test` and unit tests.
 * Compatible with XState's `Clock` (createActor(machine, { clock })), plus `now()`.
 */
export type TimerHandle = unknown;

export interface Clock {
  setTimeout(fn: (...args: unknown[]) => void, ms: number): TimerHandle;
  clearTimeout(handle: TimerHandle): void;
  /** Milliseconds since the epoch (simulated clocks start wherever they like). */
  now(): number;
}

export const realClock: Clock = {
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
  now: () => Date.now(),
};
