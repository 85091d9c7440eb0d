import type { AnyStateMachine } from 'xstate';
import type { LoadedFlow } from '../flow/loaded-flow.js';

/** A flow compiled once per version and shared by every call that runs it. */
export interface CompiledFlow {
  id: string;
  version: string;
  flow: LoadedFlow;
  /** The XState machine: input `MachineInput`, events `MachineEvent`, emits `Command`. */
  machine: AnyStateMachine;
  /** Variables a sensitive collect stores into, in this flow or a subflow it runs (`ivr test` masks their values). */
  sensitiveVars: ReadonlySet<string>;
}
