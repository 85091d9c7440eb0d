/**
 * How the machine is driven, not what it does: each list of the flow's own actions in the config
 * (a state's `entry` or `exit`, a transition's `actions`) runs as one XState action, `steps`, which
 * calls the listed step functions in order (each sees the context the ones before it left) and
 * hands XState one assign and the commands. XState clones the whole snapshot for every assign and
 * builds an `enqueue` object of ten closures for every bound action: a key press ran 8 actions and 6
 * assigns, ~70 KB of garbage (test/bench/frame-path.ts). `ivr compile` prints the config as written.
 *
 *   createMachine(fuseSteps(config, STEP_NAMES))
 *   // entry: [{ type: 'resetKeys' }, { type: 'play', params }]
 *   // -> entry: [{ type: 'steps', params: { steps: [{ type: 'resetKeys' }, { type: 'play', params }] } }]
 */
import type { Config } from './routes.js';

export const STEPS_ACTION = 'steps';

/** One entry of a fused list: a step action's name and its params, as the config wrote them. */
export interface StepRef {
  type: string;
  params?: unknown;
}

/** A copy of `state` (a machine config or a state of it) with each run of 2+ step actions fused. */
export function fuseSteps(state: Config, names: ReadonlySet<string>): Config {
  const out: Config = { ...state };
  for (const key of ['entry', 'exit'] as const) if (key in out) out[key] = fuseList(out[key], names);
  for (const key of ['always', 'onDone'] as const) if (key in out) out[key] = fuseTransitions(out[key], names);
  for (const key of ['on', 'after'] as const) {
    const table = out[key];
    if (isObject(table)) out[key] = Object.fromEntries(Object.entries(table).map(([k, t]) => [k, fuseTransitions(t, names)]));
  }
  if ('invoke' in out) {
    const invoke = (list: unknown): unknown => (isObject(list) ? fuseInvoke(list, names) : list);
    out.invoke = Array.isArray(out.invoke) ? out.invoke.map(invoke) : invoke(out.invoke);
  }
  const states = out.states;
  if (isObject(states)) out.states = Object.fromEntries(Object.entries(states).map(([k, s]) => [k, isObject(s) ? fuseSteps(s, names) : s]));
  return out;
}

function fuseInvoke(invoke: Config, names: ReadonlySet<string>): Config {
  const out = { ...invoke };
  for (const key of ['onDone', 'onError', 'onSnapshot'] as const) if (key in out) out[key] = fuseTransitions(out[key], names);
  return out;
}

function fuseTransitions(transitions: unknown, names: ReadonlySet<string>): unknown {
  const one = (t: unknown): unknown => (isObject(t) && 'actions' in t ? { ...t, actions: fuseList(t.actions, names) } : t);
  return Array.isArray(transitions) ? transitions.map(one) : one(transitions);
}

/** Runs of 2+ consecutive step actions become one `steps` action; anything else stays where it is. */
function fuseList(list: unknown, names: ReadonlySet<string>): unknown {
  if (!Array.isArray(list) || list.length < 2) return list;
  const out: unknown[] = [];
  let run: StepRef[] = [];
  const flush = (): void => {
    if (run.length === 1) out.push(run[0]);
    else if (run.length > 1) out.push({ type: STEPS_ACTION, params: { steps: run } });
    run = [];
  };
  for (const action of list) {
    if (isObject(action) && typeof action.type === 'string' && names.has(action.type)) run.push(action as unknown as StepRef);
    else {
      flush();
      out.push(action);
    }
  }
  flush();
  return out;
}

function isObject(value: unknown): value is Config {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
