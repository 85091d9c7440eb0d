/**
 * A stand-in for a compiled flow: a machine that emits the Commands a test scripts for it and
 * remembers every MachineEvent it receives (as `vars().received`). It lets the session be
 * tested on exactly the protocol (src/compile/protocol.ts), independent of the compiler.
 *
 * Script keys: `start`, `dtmf:<digit>`, `playback.finished:<id>`, and the other event types
 * (`fetch.done`, `fetch.failed`, `record.done`, `record.failed`). `{ type: 'throw' }` in a
 * script makes the action throw, as a broken machine would. The key `D` makes the machine stop
 * (final state) without emitting anything.
 */
import { enqueueActions, setup } from 'xstate';
import type { CompiledFlow } from '../../../src/compile/compiled-flow.js';
import type { Command, Commands, MachineEvent } from '../../../src/compile/protocol.js';

export type ScriptStep = Command | { type: 'throw' };
export type Script = Record<string, ScriptStep[]>;

interface Context {
  vars: { received: MachineEvent[] };
  script: Script;
}

function keyOf(event: MachineEvent): string {
  if (event.type === 'dtmf') return `dtmf:${event.digit}`;
  if (event.type === 'playback.finished') return `playback.finished:${event.playbackId}`;
  return event.type;
}

export const scriptMachine = setup({
  types: {
    context: {} as Context,
    events: {} as MachineEvent,
    input: {} as { vars?: { script?: Script } },
    emitted: {} as Commands,
  },
  actions: {
    remember: ({ context, event }) => void context.vars.received.push(event),
    run: enqueueActions(({ context, event, enqueue }) => {
      const steps = context.script[event.type.startsWith('xstate.') ? 'start' : keyOf(event)] ?? [];
      for (const step of steps) {
        if (step.type === 'throw') {
          enqueue(() => {
            throw new Error('boom: the machine failed');
          });
        } else {
          enqueue.emit({ type: 'commands', commands: [step] });
        }
      }
    }),
  },
}).createMachine({
  id: 'script',
  context: ({ input }) => ({ vars: { received: [] }, script: input.vars?.script ?? {} }),
  entry: 'run',
  initial: 'live',
  states: {
    live: {
      on: {
        hangup: { target: 'gone', actions: 'remember' },
        // `D` stands for a machine that reaches its final state on its own, without an `end` command.
        dtmf: [{ guard: ({ event }) => event.digit === 'D', target: 'gone', actions: 'remember' }, { actions: ['remember', 'run'] }],
        '*': { actions: ['remember', 'run'] },
      },
    },
    gone: { type: 'final' },
  },
});

export function scriptFlow(id = 'script'): CompiledFlow {
  return {
    id,
    version: 'v-test',
    machine: scriptMachine,
    flow: { id, file: `/nowhere/${id}.yaml`, dir: '/nowhere', doc: { ivr: 1, nodes: {} } as never, version: 'v-test', diagnostics: [] },
    sensitiveVars: new Set(),
  };
}
