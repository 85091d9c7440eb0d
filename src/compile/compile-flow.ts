import type { AnyStateMachine } from 'xstate';
import { DEFAULTS } from '../flow/defaults.js';
import { flowLanguages } from '../flow/languages.js';
import type { FlowSet, LoadedFlow } from '../flow/loaded-flow.js';
import { emptyContext, startContext, type CallContext } from './call-context.js';
import { FETCH_INPUT } from './io-states.js';
import type { FetchAttemptInput, MachineInput } from './protocol.js';
import type { CompiledFlow } from './compiled-flow.js';
import { flowEnv } from './expressions.js';
import { drivenConfig, machineSetup, type FlowMachineConfig } from './implementations.js';
import { nodeStates, startNode } from './node-states.js';
import { Parts } from './parts.js';
import { secretVars } from './sensitive.js';
import { act, durationMs, endCall, isConfig, noteKey, onKey, type Config, type FlowScope } from './routes.js';
import { stateKey } from '../flow/state-key.js';

/**
 * The machine config of a flow: plain JSON data naming actions, guards and delays (what
 * `ivr compile` prints), plus the compiled parts those names refer to and the call's first
 * context before the runtime's input (also in the config, as data). `sensitive`: the variables
 * holding a secret (compile/sensitive.ts), which change the parts and no state; the flow-size
 * count passes none, since finding them walks every subflow the flow calls.
 */
export function flowMachineConfig(
  flow: LoadedFlow,
  flows: FlowSet,
  inlineSubflow?: FlowScope['inlineSubflow'],
  sensitive: ReadonlySet<string> = secretVars(flow, flows),
): { config: Config; parts: Parts; context: CallContext } {
  const parts = new Parts(sensitive);
  const scope: FlowScope = {
    flow, prefix: '', env: flowEnv(flow), envWithResponse: flowEnv(flow, true),
    parts, flows, chain: [flow.id], parent: null, inherited: {},
    ...(inlineSubflow ? { inlineSubflow } : {}),
  };
  const context: CallContext = { ...emptyContext(), vars: { ...(flow.doc.vars ?? {}) }, languages: flowLanguages(flow.doc) };
  const states = nodeStates(scope);
  let initial = stateKey(startNode(scope));
  if (!Object.hasOwn(states, initial)) {
    // validate rejects a flow without nodes or with an unknown start; compiled anyway, its calls end at once.
    initial = 'no start node';
    states[initial] = {
      always: [{ target: '#ended', actions: [act('log', { level: 'error', node: '', message: `flow ${flow.id} has no start node` }), endCall('error')] }],
    };
  }
  const config: Config = {
    id: `flow:${flow.id}`,
    // The flow's part of the first context; compileFlow adds the call's (its input) with `context: ({ input }) => …`.
    context,
    initial: 'call',
    states: {
      call: {
        initial,
        // Keys while no node listens (between nodes, during a barge-in play) are typeahead.
        // A failed `say` marks the error; the node's own `failed` route (in every playing state) takes it.
        on: { dtmf: onKey({ actions: [noteKey(false, false), act('addTypeahead')] }), hangup: { target: 'hungUp' }, 'say.failed': { actions: [act('sayFailed')] } },
        after: {
          [durationMs(flow.doc.settings?.maxCallDuration, DEFAULTS.maxCallDuration)]: { target: 'ended', actions: [endCall('max-call-duration')] },
        },
        states,
      },
      // After the `end` command: nothing more is emitted, every timer is gone.
      ended: { id: 'ended', type: 'final' },
      // The caller hung up: stop at once, emitting nothing.
      hungUp: { type: 'final' },
    },
  };
  return { config, parts, context };
}

/**
 * Compiles a flow (and the subflows it uses, inlined) into one XState machine, once per flow
 * version; every call runs its own actor of it. The machine is built at its first use (a flow
 * version's first call, or `buildMachines`; `checkMachinesBuild` builds it and keeps none), not
 * here: a server ready to answer calls has not spent ~2 ms and ~0.7 MB per 50-node flow on flows
 * that get no call, and a reload makes the serving thread build one flow at a time, as its calls
 * come, never the whole set in one stall.
 * The reload worker builds every machine first (`checkMachinesBuild`), so a compiler failure is
 * found there and refuses the set, before the serving thread builds the same flows again.
 *
 * @example
 * const compiled = compileFlow(set.flows.get('support')!, set);
 * const actor = createActor(compiled.machine, { input: { call }, clock }); // built here, once
 * actor.on('commands', ({ commands }) => commands.forEach((command) => runtime.execute(command)));
 * actor.start();
 */
export function compileFlow(flow: LoadedFlow, flows: FlowSet): CompiledFlow {
  // A build that failed is not tried again: each read throws its error at once, instead of stalling the thread again.
  let built: Pick<CompiledFlow, 'machine' | 'sensitiveVars'> | { failed: unknown } | undefined;
  const build = (): Pick<CompiledFlow, 'machine' | 'sensitiveVars'> => {
    if (built === undefined) {
      try {
        built = buildMachine(flow, flows);
      } catch (err) {
        built = { failed: err };
      }
    }
    if ('failed' in built) throw built.failed;
    return built;
  };
  return {
    id: flow.id,
    version: flow.version,
    flow,
    get built() {
      return built !== undefined && !('failed' in built);
    },
    checkBuild() {
      if (built !== undefined) return void build();
      try {
        buildMachine(flow, flows);
      } catch (err) {
        built = { failed: err };
        throw err;
      }
    },
    get machine() {
      return build().machine;
    },
    get sensitiveVars() {
      return build().sensitiveVars;
    },
  };
}

/** The machine of `flow` and the variables it keeps secret: what `compileFlow` defers to first use. */
function buildMachine(flow: LoadedFlow, flows: FlowSet): Pick<CompiledFlow, 'machine' | 'sensitiveVars'> {
  const { config, parts, context } = flowMachineConfig(flow, flows);
  bindInvokeInputs(config);
  config.context = ({ input }: { input: MachineInput }) => startContext(context, input);
  const fused = drivenConfig(config);
  if (!isMachineConfig(fused)) throw new Error(`compiler bug: the machine config of ${flow.id} has no id, states or context`);
  const machine: AnyStateMachine = machineSetup(parts).createMachine(fused);
  return { machine, sensitiveVars: parts.sensitiveVars };
}

/** The fetch actor's input: the request `startFetch` rendered into the context, with its shown URL. */
const fetchInput = ({ context }: { context: CallContext }): FetchAttemptInput | null =>
  context.fetch ? { request: context.fetch.request, shown: context.fetch.shown } : null;

/**
 * The one thing config data cannot say: an invoke's input is a mapper function in XState. The
 * data names it (`FETCH_INPUT`, io-states.ts); here, on the config `createMachine` gets (not the
 * one `ivr compile` prints), it becomes the mapper.
 */
function bindInvokeInputs(state: Config): void {
  const invoke = state.invoke;
  if (isConfig(invoke) && invoke.input === FETCH_INPUT) invoke.input = fetchInput;
  if (isConfig(state.states)) for (const child of Object.values(state.states)) if (isConfig(child)) bindInvokeInputs(child);
}

/**
 * The boundary between config data and XState's types: the names in the data (actions, guards,
 * delays, the fetch actor) are the flow's setup's, as test/compile/config.test.ts checks for the
 * shipped flows; here the shape is checked that createMachine relies on.
 */
function isMachineConfig(config: Config): config is Config & FlowMachineConfig {
  return typeof config.id === 'string' && typeof config.initial === 'string' && isConfig(config.states) && typeof config.context === 'function';
}
