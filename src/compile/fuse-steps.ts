/**
 * How the machine is driven, not what it does: each list of the flow's own actions in the config
 * (a state's `entry` or `exit`, a transition's `actions`) runs as one XState action, `steps`, which
 * calls the listed step functions in order (each sees the context the ones before it left) and
 * hands XState one assign and the commands. XState clones the whole snapshot for every assign and
 * builds an `enqueue` object of ten closures for every bound action: a key press ran 8 actions and 6
 * assigns, ~70 KB of garbage (test/bench/frame-path.ts). Done in place on the config `createMachine`
 * gets (a fresh one per compile, flowMachineConfig's), not on the one `ivr compile` prints.
 *
 *   createMachine(fuseSteps(config, STEP_NAMES))
 *   // entry: [{ type: 'resetKeys' }, { type: 'play', params }]
 *   // -> entry: [{ type: 'steps', params: { steps: [{ type: 'resetKeys' }, { type: 'play', params }] } }]
 */
import { isConfig, type Config } from './routes.js';

export const STEPS_ACTION = 'steps';

/** One entry of a fused list: a step action's name and its params, as the config wrote them. */
export interface StepRef {
  type: string;
  params?: Record<string, unknown>;
}

/** Whether a config value is an action reference: `{ type, params? }` with object params. */
export function isStepRef(value: unknown): value is StepRef {
  if (!isConfig(value) || typeof value.type !== 'string') return false;
  return value.params === undefined || isConfig(value.params);
}

/**
 * Fuses each run of 2+ step actions in `state` (a machine config or a state of it) and its
 * substates, in place; returns `state`. Run after own-effects.ts (implementations.ts
 * `drivenConfig`): the timers' and the fetch actor's transitions are under `on` by then, so a
 * state's lists are its entry, exit, `always`, `onDone` and `on`.
 */
export function fuseSteps(state: Config, names: ReadonlySet<string>): Config {
  if (state.entry !== undefined) state.entry = fuseList(state.entry, names);
  if (state.exit !== undefined) state.exit = fuseList(state.exit, names);
  fuseTransitions(state.always, names);
  fuseTransitions(state.onDone, names);
  const on = state.on;
  if (isConfig(on)) for (const k in on) fuseTransitions(on[k], names);
  const states = state.states;
  if (isConfig(states)) for (const k in states) if (isConfig(states[k])) fuseSteps(states[k], names);
  return state;
}

function fuseTransitions(transitions: unknown, names: ReadonlySet<string>): void {
  if (Array.isArray(transitions)) for (const t of transitions) fuseTransition(t, names);
  else fuseTransition(transitions, names);
}

function fuseTransition(transition: unknown, names: ReadonlySet<string>): void {
  if (isConfig(transition) && transition.actions !== undefined) transition.actions = fuseList(transition.actions, names);
}

/** Runs of 2+ consecutive step actions become one `steps` action; anything else stays where it is. */
function fuseList(list: unknown, names: ReadonlySet<string>): unknown {
  if (!Array.isArray(list) || list.length < 2) return list;
  const isStep = (action: unknown): action is StepRef => isStepRef(action) && names.has(action.type);
  // The usual list is all steps: it becomes the one action's steps as it is, without a copy.
  if (list.every(isStep)) return [{ type: STEPS_ACTION, params: { steps: list } }];
  const out: unknown[] = [];
  let run: StepRef[] = [];
  const flush = (): void => {
    if (run.length === 1) out.push(run[0]);
    else if (run.length > 1) out.push({ type: STEPS_ACTION, params: { steps: run } });
    run = [];
  };
  for (const action of list) {
    if (isStep(action)) run.push(action);
    else {
      flush();
      out.push(action);
    }
  }
  flush();
  return out;
}
