/**
 * The log format: JSON lines by default, short human lines on a terminal, and in neither can a
 * caller-provided string start a line of its own. Spoken values are not logged.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { describePlay } from '../../src/call/shown-play.js';
import { createLogger } from '../../src/ops/logger.js';
import { LOG_LIMITS } from '../../src/ops/log-fields.js';
import { prettyLine } from '../../src/ops/pretty-log.js';

function capture(pretty: boolean): { lines: string[]; log: ReturnType<typeof createLogger> } {
  const lines: string[] = [];
  const log = createLogger({ level: 'info', pretty, destination: { write: (s: string) => void lines.push(s) } });
  return { lines, log };
}

describe('logger', () => {
  test('writes one JSON object per line with an ISO time and the level name', () => {
    const { lines, log } = capture(false);
    log.child({ callId: 'c1', flow: 'support', version: 'v1' }).info({ node: 'menu', key: '5' }, 'key');
    log.debug({}, 'below the level');
    assert.equal(lines.length, 1);
    const entry = JSON.parse(lines[0]!) as Record<string, unknown>;
    assert.equal(entry.level, 'info');
    assert.match(String(entry.time), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    assert.deepEqual({ ...entry, time: undefined }, { level: 'info', time: undefined, callId: 'c1', flow: 'support', version: 'v1', node: 'menu', key: '5', msg: 'key' });
  });

  test('a newline in a caller-provided value never starts a new line, in JSON or pretty', () => {
    for (const pretty of [false, true]) {
      const { lines, log } = capture(pretty);
      log.info({ callId: 'x\n{"level":"error","msg":"forged"}' }, 'bad frame: \nforged');
      assert.equal(lines.length, 1);
      assert.equal(lines[0]!.indexOf('\n'), lines[0]!.length - 1, `one line (${pretty ? 'pretty' : 'json'})`);
    }
  });

  test('pretty lines: time, level, message, then key=value with odd values quoted', () => {
    assert.equal(
      prettyLine('{"level":"warn","time":"2026-11-24T13:10:54.834Z","callId":"abc-1","reason":"two words","n":3,"msg":"call ended"}'),
      '13:10:54.834 WARN  call ended callId=abc-1 reason="two words" n=3',
    );
    assert.equal(prettyLine('not json\n'), '"not json"');
  });

  test('prompts are logged by name; spoken values (digits, numbers) only as #', () => {
    const items = [{ prompt: 'balance_is', flow: 'f' }, { prompt: 'number-40', flow: 'f' }, { prompt: 'digit-2', flow: 'f' }, { prompt: 'dollars', flow: 'f' }, { silenceMs: 200 }];
    assert.deepEqual(describePlay(items), ['balance_is', '#', 'dollars', 'silence']);
  });

  test("Spanish read-backs are spoken values too: 321 is 'trescientos veintiuno', never hundreds-3 by name", () => {
    const es = ['hundreds-3', 'number-21', 'and', 'un', 'millions', 'number-21-un'].map((prompt) => ({ prompt, flow: 'f' }));
    assert.deepEqual(describePlay([{ prompt: 'you_said', flow: 'f' }, ...es, { prompt: 'beep', flow: 'f' }]), ['you_said', '#', 'beep']);
  });
});

describe('bounds on log lines', () => {
  test("a 30 KB callId bound to a call's logger is cut in every line; its other fields too", () => {
    const { lines, log } = capture(false);
    const call = log.child({ callId: 'c'.repeat(30_000) }).child({ flow: 'f' });
    for (let i = 0; i < 10; i++) call.info({ node: 'n'.repeat(5000), list: Array.from({ length: 500 }, () => 'x') }, 'm'.repeat(5000));
    assert.equal(lines.length, 10);
    for (const line of lines) {
      assert.ok(line.length < 4000, `a line of ${line.length} bytes`);
      const entry = JSON.parse(line) as { callId: string; flow: string; node: string; msg: string; list: string[] };
      assert.equal(entry.callId, `${'c'.repeat(LOG_LIMITS.stringLength)}…(+${30_000 - LOG_LIMITS.stringLength} chars)`);
      assert.equal(entry.flow, 'f', 'a grandchild keeps both bindings');
      assert.ok(entry.msg.startsWith('mmm') && entry.msg.length < 1100);
      assert.equal(entry.list.length, LOG_LIMITS.listLength + 1);
    }
  });

  test('control characters, DEL, C1 and line separators are escaped in messages, fields and bindings, JSON and pretty', () => {
    for (const pretty of [false, true]) {
      const { lines, log } = capture(pretty);
      log.child({ callId: 'a\u009b[2Jb' }).warn({ reason: 'x\u2028y\u007fz\u001b[31m', nested: { deep: 'p\u0085q' } }, 'msg\r\n::error file=x::forged');
      assert.equal(lines.length, 1);
      const line = lines[0]!.slice(0, -1);
      // eslint-disable-next-line no-control-regex -- looking for raw control characters
      assert.ok(!/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/.test(line), `no raw control character (${pretty ? 'pretty' : 'json'}): ${JSON.stringify(line)}`);
      assert.ok(line.includes('\\u009b[2J') && line.includes('\\u2028') && line.includes('\\u0085'), line);
    }
  });
});
