import type { CallContext } from './call-context.js';
import type { Command } from './protocol.js';

/** What an action does: context to assign and commands to emit (actions.ts binds it to XState's assign/emit). */
export interface Step {
  assign?: Partial<CallContext>;
  emit?: Command[];
}
