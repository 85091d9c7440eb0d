// test:serial: bounds /healthz p95 during catastrophic expressions; npm run test:unit runs it after the others, alone.
/**
 * Issue 10, "A regex freezes everything" and "Expressions and big files have no budget", over a
 * real `ivr serve` stack: a catastrophic pattern and an expression over its budget cost only the
 * call that triggers them; a concurrent caller hears exactly what it hears alone and `/healthz`
 * keeps answering quickly.
 */
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { after, before, describe, test } from 'node:test';
import { validatePaths } from '../../src/cli/validate.js';
import { hearPrompts, writeFixture, type Fixture } from '../support/e2e-harness.js';
import { opsServe, type OpsServing } from '../ops/support/ops-harness.js';
import { HELLO_WAV, flowDir } from '../check/flow-dir.js';
import { assertResponsive, probeHealth } from '../support/health-probe.js';

const PROMPTS = { enter: 120, good: 80, bad: 80, welcome: 150, menu: 150, done: 80, sorry: 60 };

const REGEX_FLOW = `ivr: 1
id: regex
vars: { code: "" }
nodes:
  ask:
    collect:
      prompt: enter
      into: code
      pattern: "^([0-9]+)+$"
      noMatch: { max: 1, then: bad }
    next: good
  good:
    end: { prompt: good }
  bad:
    end: { prompt: bad }
`;

const budgetFlow = (api: string): string => `ivr: 1
id: budget
vars: { total: 0 }
onError: sorry
nodes:
  lookup:
    fetch:
      url: "${api}/items"
      set:
        total: "size(response.body.items.map(a, response.body.items.map(b, a + b)))"
    next: done
  done:
    end: { prompt: done }
  sorry:
    end: { prompt: sorry, reason: error }
`;

const HEALTHY_FLOW = `ivr: 1
id: healthy
nodes:
  hello:
    play: welcome
    next: choose
  choose:
    menu: { prompt: menu, options: { "1": done } }
  done:
    end: { prompt: done }
`;

/** The healthy caller's whole script: its frames as a transcript. */
async function healthyCall(s: OpsServing): Promise<string[]> {
  const c = await s.call('healthy');
  await hearPrompts(c, 2);
  c.press('1');
  await hearPrompts(c, 1);
  const close = await c.closed;
  return [...c.frames.map((f) => (f.event === 'playAudio' ? `playAudio ${f.prompt}` : f.event)), `close ${close.code}`];
}

describe('regular expressions and expression budgets under ivr serve', () => {
  let fixture: Fixture;
  let s: OpsServing;
  let backend: Server;
  let healthyAlone: string[];
  before(async () => {
    // A backend list of 1000 items: two nested maps over it are 10^6 steps, past the budget.
    backend = createServer((_req, res) => res.end(JSON.stringify({ items: Array.from({ length: 1000 }, (_, i) => i) })));
    await new Promise<void>((r) => backend.listen(0, '127.0.0.1', r));
    const api = `http://127.0.0.1:${(backend.address() as { port: number }).port}`;
    fixture = await writeFixture({ 'regex.yaml': REGEX_FLOW, 'budget.yaml': budgetFlow(api), 'healthy.yaml': HEALTHY_FLOW }, PROMPTS);
    s = await opsServe(fixture);
    healthyAlone = await healthyCall(s);
  });
  after(async () => {
    await s.close();
    backend.close();
    await fixture.cleanup();
  });

  test('a caller typing 31 ones then *# into ^([0-9]+)+$ gets a noMatch at once; a concurrent call is unchanged and /healthz stays fast', async () => {
    const attacker = await s.call('regex');
    await hearPrompts(attacker, 1);
    const probe = probeHealth(s.base);
    const healthy = healthyCall(s);
    attacker.press(`${'1'.repeat(31)}*#`);
    await Promise.all([healthy, attacker.closed]);
    assertResponsive(await probe.stop(), 'a catastrophic pattern');
    assert.deepEqual(attacker.promptsSince(0).slice(-1), ['bad'], 'the pattern did not match: noMatch, then bad');
    assert.deepEqual(await healthy, healthyAlone);
  });

  test('an expression over its budget at run time is that call\'s onError; a concurrent call is unchanged', async () => {
    const probe = probeHealth(s.base);
    const heavy = await s.call('budget');
    const healthy = healthyCall(s);
    await Promise.all([healthy, heavy.closed]);
    assertResponsive(await probe.stop(), 'an expression over its budget');
    assert.deepEqual(heavy.promptsSince(0), ['sorry'], 'the set failed: onError');
    assert.equal((await heavy.closed).reason, 'error');
    assert.deepEqual(await healthy, healthyAlone);
    const logged = s.logs.find((l) => typeof l.msg === 'string' && /evaluation steps/.test(JSON.stringify(l)));
    assert.ok(logged, 'the budget error is logged');
  });
});

describe('regular expressions and budgets at validate time', () => {
  test('a global key beside ^(1|1|1|1|1|1)*$z is checked on RE2: validate answers, with no finding', async () => {
    const flow = `ivr: 1\nglobal: { "1": bye }\nvars: { code: "" }\nnodes:\n  ask:\n    collect: { prompt: enter, into: code, pattern: "^(1|1|1|1|1|1)*$z" }\n    next: bye\n  bye:\n    end: {}\n`;
    const report = await validatePaths([flowDir({ 'f.yaml': flow, 'prompts/enter.wav': HELLO_WAV })]);
    assert.deepEqual(report.diagnostics.map((d) => `${d.code} ${d.line}:${d.col}`), []);
  });

  test('backreferences and lookaround are regex-unsupported, in a pattern and in a CEL matches literal', async () => {
    const flow = `ivr: 1\nvars: { code: "", ok: false }\nnodes:\n  ask:\n    collect: { prompt: hello, into: code, pattern: "^(\\\\d)\\\\1$" }\n    next: check\n  check:\n    set: { ok: "code.matches('^(?=1)[0-9]+$')" }\n    next: bye\n  bye:\n    end: {}\n`;
    const report = await validatePaths([flowDir({ 'f.yaml': flow, 'prompts/hello.wav': HELLO_WAV })]);
    assert.deepEqual(report.diagnostics.map((d) => `${d.code} ${d.line}:${d.col}`), ['regex-unsupported 5:52', 'regex-unsupported 8:30']);
    assert.match(report.diagnostics[0]!.message, /backreferences/);
    assert.match(report.diagnostics[1]!.message, /lookaround/);
  });

  test('600h durations and .inf are duration-too-long at their values', async () => {
    const flow = `ivr: 1\nsettings: { maxCallDuration: 600h, timeout: .inf }\nvars: { pin: "" }\nnodes:\n  ask:\n    collect: { prompt: hello, into: pin, max: 4 }\n    timeout: 600h\n    next: bye\n  bye:\n    end: {}\n`;
    const report = await validatePaths([flowDir({ 'f.yaml': flow, 'prompts/hello.wav': HELLO_WAV })]);
    assert.deepEqual(report.diagnostics.map((d) => `${d.code} ${d.line}:${d.col}`), ['duration-too-long 2:30', 'duration-too-long 2:45', 'duration-too-long 7:14']);
    assert.match(report.diagnostics[0]!.message, /`600h`, longer than 24h/);
    assert.match(report.diagnostics[1]!.message, /`\.inf`, longer than 1h/);
  });

  test('five nested map over 100-element lists is expr-too-costly at validate', async () => {
    const nested = 'l.map(a, l.map(b, l.map(c, l.map(d, l.map(e, a + b + c + d + e)))))';
    const flow = `ivr: 1\nvars: { n: 0 }\nnodes:\n  f:\n    fetch:\n      url: "http://127.0.0.1:9/x"\n      set: { n: "size(response.body.l.map(x, 1)) + size(${nested.replace(/\bl\./g, 'response.body.l.')})" }\n    next: bye\n    onError: bye\n  bye:\n    end: {}\n`;
    const report = await validatePaths([flowDir({ 'f.yaml': flow })]);
    assert.deepEqual(report.diagnostics.map((d) => `${d.code} ${d.line}:${d.col}`), ['expr-too-costly 7:18']);
  });
});
