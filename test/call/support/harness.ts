import type { MediaFormat } from '../../../src/audio/types.js';
import type { CallSessionOptions } from '../../../src/call/call-session.js';
import { startCall } from '../../../src/call/start-call.js';
import type { Fetcher } from '../../../src/call/fetcher.js';
import type { CallInfo, Command, MachineEvent } from '../../../src/compile/protocol.js';
import { SimClock } from '../../../src/testing/sim-clock.js';
import { fakePrompts } from './fake-prompts.js';
import { FrameTransport } from './frame-transport.js';
import { memoryLog } from './memory-log.js';
import { scriptFlow, type Script } from './script-machine.js';
import { isCommand } from '../../../src/call/call-events.js';

export const CALL: CallInfo = {
  callId: '12345678-1234-1234-1234-123456789abc',
  streamId: '87654321-4321-4321-4321-cba987654321',
  accountId: 'MAXXXXXXXXXXXXXXXXXX',
  headers: { flow: 'script' },
};

/** Waits for a fetch answer (or a file write) to reach the machine: promises only, no timers. */
export async function settle(): Promise<void> {
  for (let i = 0; i < 20; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}

/** A fetcher that never answers (but honours its signal): the session's timeout must end it. */
export const hangingFetcher: Fetcher = (_request, signal) =>
  new Promise((_resolve, reject) => signal.addEventListener('abort', () => reject(signal.reason as Error)));

/** A scripted call on a simulated clock, with everything it did kept for assertions. */
export function scriptedCall(script: Script, options: Partial<CallSessionOptions> & { format?: MediaFormat } = {}) {
  const clock = new SimClock();
  const transport = new FrameTransport();
  const log = memoryLog();
  const commands: Command[] = [];
  const { format = 'audio/x-mulaw;rate=8000', ...rest } = options;
  const session = startCall({ call: CALL, format }, transport, {
    flow: scriptFlow(),
    prompts: fakePrompts({ welcome: 1000, menu: 2500, beep: 250 }),
    clock,
    fetcher: hangingFetcher,
    vars: { script },
    log,
    watchers: [() => (event) => {
      if (isCommand(event)) commands.push(event);
    }],
    ...rest,
  });
  const received = (): MachineEvent[] => (session.vars().received as MachineEvent[]).filter((e) => e.type !== 'hangup');
  return { clock, transport, log, session, commands, received };
}
