import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { allDiagnostics, diagnostics, findings, loadSet } from './flow-dir.js';

const END = '  bye:\n    end: {}\n';

describe('typed assignments', () => {
  test('a forgotten string quote: a string variable given a double variable, with the quoting fix', async () => {
    const [d, ...rest] = await diagnostics(`ivr: 1
vars: { intent: "", balance: 0.0 }
nodes:
  s:
    set: { intent: "balance" }
    next: bye
${END}`);
    assert.deepEqual(rest, []);
    assert.equal(d?.code, 'type-mismatch');
    assert.deepEqual([d?.line, d?.col], [5, 20]);
    assert.equal(d?.message, "node `s`: `set.intent`: `intent` is a string variable, but `balance` is a number (double); did you mean `'balance'`? (a string in CEL is quoted)");
  });

  test('an int given a double, and a number literal into a string (quoting fix), are errors; a double given an int is not', async () => {
    const found = await diagnostics(`ivr: 1
vars: { count: 0, total: 0.0, ext: "", flag: false, any: null }
nodes:
  s:
    set:
      count: "total * 2.0"
      total: "count + 1"
      ext: "200"
      flag: "count > 1"
      any: "[1, 2]"
    next: bye
${END}`);
    assert.deepEqual(found.map((d) => `${d.code} ${d.line}:${d.col}`), ['type-mismatch 6:14', 'type-mismatch 8:12']);
    assert.match(found[0]!.message, /`count` is a whole number \(int\) variable, but `total \* 2\.0` is a number \(double\)$/);
    assert.match(found[1]!.message, /did you mean `'200'`\?/);
  });

  test('option, match, branch, global and fetch set are checked; a value only the response knows is not', async () => {
    const found = await findings(`ivr: 1
vars: { dept: "", n: 0, any: null }
global:
  "0": { goto: bye, set: { n: "'zero'" } }
nodes:
  m:
    menu:
      prompt: hello
      options: { "1": { goto: b, set: { dept: "input == '1'" } } }
      match: [{ pattern: "^2", goto: b, set: { n: "input" } }]
  b:
    branch: [{ goto: f, set: { dept: "1.5" } }]
  f:
    fetch:
      url: "https://x.example/"
      set: { n: "string(response.body.count)", dept: "response.status", any: "response.body" }
    next: bye
${END}`);
    assert.deepEqual(found, ['type-mismatch 4:31', 'type-mismatch 9:47', 'type-mismatch 10:51', 'type-mismatch 12:38', 'type-mismatch 16:17']);
  });

  test('collect.into and record.into store strings', async () => {
    const found = await findings(`ivr: 1
vars: { pin: 0, path: 0.0 }
nodes:
  c:
    collect: { prompt: hello, into: pin }
    next: r
  r:
    record: { into: path }
    next: bye
${END}`);
    assert.deepEqual(found, ['type-mismatch 5:37', 'type-mismatch 8:21']);
  });

  test('subflow input is typed by the child, output by the caller', async () => {
    const set = await loadSet(
      {
        'caller.yaml': `ivr: 1
vars: { verified: "", year: 0 }
nodes:
  v:
    subflow: { flow: verify, input: { dob: "year", ok: "true" }, output: { verified: "ok", year: "dob" } }
    next: bye
${END}`,
        'verify.yaml': 'ivr: 1\nvars: { dob: "", ok: false }\nnodes:\n  ask:\n    play: hello\n    next: done\n  done:\n    return: {}\n',
        'prompts/hello.wav': 'test/fixtures/broken/prompts/hello.wav',
      },
      ['caller.yaml'],
    );
    const found = allDiagnostics(set).map((d) => `${d.code} ${d.line}:${d.col} ${d.message}`);
    assert.equal(found.length, 3, found.join('\n'));
    assert.match(found[0]!, /^type-mismatch 5:44 node `v`: `subflow.input.dob`: `dob` is a string variable, but `year` is a whole number \(int\); did you mean `'year'`\?/);
    assert.match(found[1]!, /^type-mismatch 5:86 node `v`: `subflow.output.verified`: `verified` is a string variable, but `ok` is a bool/);
    assert.match(found[2]!, /^type-mismatch 5:98 node `v`: `subflow.output.year`: `year` is a whole number \(int\) variable, but `dob` is a string/);
  });
});
