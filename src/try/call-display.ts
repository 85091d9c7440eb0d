/** What `ivr call` shows, one line each. */
export type TryEvent =
  | { type: 'node'; node: string; flow: string }
  | { type: 'prompt'; name: string; text?: string | undefined; durationMs?: number | undefined }
  /** Audio not known by name; without `durationMs` when its length could tell a secret's (remote-call.ts). */
  | { type: 'audio'; durationMs?: number | undefined }
  | { type: 'key'; key: string }
  | { type: 'clear' }
  | { type: 'sendDtmf'; dtmf: string }
  | { type: 'fetch'; method: string; url: string }
  | { type: 'note'; text: string }
  | { type: 'end'; reason: string };

/**
 * The line for one event, without its time stamp. Plain ASCII markers, so the output reads the
 * same in a terminal, a pipe and a CI log.
 *
 * @example describeEvent({ type: 'prompt', name: 'welcome', text: 'Hello.', durationMs: 2300 }) // '> welcome "Hello." (2.3 s)'
 */
export function describeEvent(event: TryEvent): string {
  switch (event.type) {
    case 'node':
      return `-- ${event.node}${event.flow === '' ? '' : ` (${event.flow})`}`;
    case 'prompt':
      return `> ${event.name}${event.text ? ` "${event.text}"` : ''}${event.durationMs === undefined ? '' : ` (${seconds(event.durationMs)})`}`;
    case 'audio':
      return event.durationMs === undefined ? '> playing audio' : `> playing ${seconds(event.durationMs)} of audio`;
    case 'key':
      return `key ${event.key}`;
    case 'clear':
      return 'audio cleared';
    case 'sendDtmf':
      return `sendDTMF ${event.dtmf}`;
    case 'fetch':
      return `fetch ${event.method.toUpperCase()} ${event.url}`;
    case 'note':
      return event.text;
    case 'end':
      return `call ended: ${event.reason}`;
  }
}

export function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

/** Writes events as `[  2.3s] line`, time since the call started. */
export function eventWriter(write: (text: string) => void, now: () => number): (event: TryEvent) => void {
  const start = now();
  return (event) => write(`[${((now() - start) / 1000).toFixed(1).padStart(5)}s] ${describeEvent(event)}\n`);
}
