import type { CallContext } from './call-context.js';
import type { Command } from './protocol.js';

/** A timer of the machine's own (own-effects.ts): started, its event's type its id, or cancelled. */
export type TimerOp = { start: string; ms: number } | { cancel: string };

/** What an action does: context to assign, commands to emit, timers to start or cancel (implementations.ts binds it to XState's assign, emit, raise and cancel). */
export interface Step {
  assign?: Partial<CallContext>;
  emit?: Command[];
  timers?: TimerOp[];
}
