import type { AnyStateMachine } from 'xstate';
import type { LoadedFlow } from '../flow/loaded-flow.js';

/** A flow compiled once per version and shared by every call that runs it. */
export interface CompiledFlow {
  readonly id: string;
  readonly version: string;
  readonly flow: LoadedFlow;
  /** The XState machine: input `MachineInput`, events `MachineEvent`, emits `Command`. Built at the first read (compile-flow.ts `compileFlow`), then the same machine. */
  readonly machine: AnyStateMachine;
  /** Whether `machine` has been built (the first read builds it); absent on flows made by hand in tests. */
  readonly built?: boolean;
  /**
   * Builds the machine as the first read of `machine` does, and keeps it only if that read already
   * happened (a failure is kept either way, and thrown): index.ts `checkMachinesBuild`. Absent on
   * flows made by hand in tests.
   */
  readonly checkBuild?: () => void;
  /** Variables holding a sensitive collect's value or one computed from it, in this flow or a subflow it runs (compile/sensitive.ts `secretVars`; `ivr test` masks their values). */
  readonly sensitiveVars: ReadonlySet<string>;
}
