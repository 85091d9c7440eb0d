import type { CallLog } from '../../../src/call/call-log.js';

export interface LogLine {
  level: 'info' | 'warn' | 'error';
  obj: object;
  msg: string;
}

/** A CallLog that keeps its lines, to assert what was (and was not) logged. */
export function memoryLog(): CallLog & { lines: LogLine[]; text(): string } {
  const lines: LogLine[] = [];
  const add = (level: LogLine['level']) => (obj: object, msg: string) => void lines.push({ level, obj, msg });
  return {
    lines,
    info: add('info'),
    warn: add('warn'),
    error: add('error'),
    text: () => lines.map((l) => `${l.level} ${l.msg} ${JSON.stringify(l.obj)}`).join('\n'),
  };
}
