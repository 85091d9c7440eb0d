/**
 * A small human format for logs on a terminal (pino-pretty is not a dependency): one line per
 * event, `13:10:54.834 INFO  call started callId=… flow=support`. Values are printed bare when
 * they are plain words and JSON-quoted otherwise, so a caller-provided string still cannot put a
 * newline (or a fake `key=value`) into the output.
 *
 *   pino(config, prettyDestination(process.stdout))
 */
import type { DestinationStream } from 'pino';

const PLAIN = /^[\w.:/@+-]*$/;

function show(value: unknown): string {
  if (typeof value === 'string') return value !== '' && PLAIN.test(value) ? value : JSON.stringify(value);
  return JSON.stringify(value) ?? String(value);
}

/** One pino JSON line as a human line (without the newline); a line that is not JSON is quoted as is. */
export function prettyLine(json: string): string {
  let entry: Record<string, unknown>;
  try {
    entry = JSON.parse(json) as Record<string, unknown>;
  } catch {
    return JSON.stringify(json.trimEnd());
  }
  const { time, level, msg, ...fields } = entry;
  const clock = typeof time === 'string' ? time.slice(11, 23) : typeof time === 'number' ? new Date(time).toISOString().slice(11, 23) : '';
  // The message unquoted, but escaped like a JSON string: a newline shows as \n.
  const text = JSON.stringify(String(msg ?? '')).slice(1, -1);
  const head = `${clock} ${String(level ?? '').toUpperCase().padEnd(5)} ${text}`;
  const rest = Object.entries(fields).map(([k, v]) => `${k}=${show(v)}`);
  return [head, ...rest].join(' ');
}

export function prettyDestination(out: { write(text: string): unknown }): DestinationStream {
  return { write: (line: string) => void out.write(`${prettyLine(line)}\n`) };
}
