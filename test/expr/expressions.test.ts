import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { compileExpr, ExprError, varTypeOf, type ExprEnv, type ExprScope } from '../../src/expr/index.js';

const env: ExprEnv = {
  vars: { balance: 'double', tries: 'int', account: 'string', vip: 'bool', extra: 'dyn' },
  extra: ['input', 'call', 'now', 'env'],
};
const scope: ExprScope = {
  vars: { balance: 0, tries: 3, account: '123456', vip: false, extra: null },
  input: '42',
  call: { callId: 'c-1', streamId: 's-1', accountId: 'MA1', from: '+15550100', headers: { lang: 'fr' } },
  now: new Date('2026-03-02T15:30:00Z'),
  env: { BILLING_TOKEN: 'secret' },
};

function run(source: string, s: ExprScope = scope, e: ExprEnv = env): unknown {
  const compiled = compileExpr(source, e);
  if (!compiled.ok) assert.fail(`${source}: ${compiled.error.message}`);
  return compiled.expr.evaluate(s);
}

function failure(source: string, e: ExprEnv = env) {
  const compiled = compileExpr(source, e);
  assert.equal(compiled.ok, false, `${source} should not compile`);
  if (compiled.ok) throw new Error('unreachable');
  return compiled.error;
}

function runtimeError(source: string, s: ExprScope = scope, e: ExprEnv = env): ExprError {
  const compiled = compileExpr(source, e);
  if (!compiled.ok) assert.fail(`${source}: ${compiled.error.message}`);
  try {
    compiled.expr.evaluate(s);
  } catch (error) {
    assert.ok(error instanceof ExprError, `expected an ExprError, got ${String(error)}`);
    return error;
  }
  return assert.fail(`${source} should fail at run time`);
}

describe('variable types from initial values', () => {
  test('YAML 0.0 is a double and 0 an int, by their source text', () => {
    assert.equal(varTypeOf(0, '0.0'), 'double');
    assert.equal(varTypeOf(0, '0'), 'int');
    assert.equal(varTypeOf(1.5), 'double');
    assert.equal(varTypeOf(0), 'int');
    assert.equal(varTypeOf(1000, '1e3'), 'double');
  });
  test('strings, booleans and null', () => {
    assert.equal(varTypeOf(''), 'string');
    assert.equal(varTypeOf(true), 'bool');
    assert.equal(varTypeOf(null), 'dyn');
  });
});

describe('arithmetic as a flow author expects', () => {
  test('a double variable times an int literal is a double (balance: 0.0)', () => {
    assert.equal(run('balance * 2', { ...scope, vars: { ...scope.vars, balance: 12.25 } }), 24.5);
    assert.equal(run('balance * 2'), 0);
  });
  test('ints stay ints and come back as JS numbers', () => {
    assert.equal(run('tries + 1'), 4);
    assert.equal(typeof run('tries + 1'), 'number');
    assert.equal(run('tries / 2'), 1, 'CEL divides ints as ints');
  });
  test('int and double mix both ways, and compare equal', () => {
    assert.equal(run('tries * 1.5'), 4.5);
    assert.equal(run('1.5 + tries'), 4.5);
    assert.equal(run('tries == 3.0'), true);
    assert.equal(run('tries != 3.0'), false);
    assert.equal(run('balance < tries'), true);
  });
  test('an int variable holding a whole number from JSON is an int again', () => {
    assert.equal(run('tries * 2', { ...scope, vars: { ...scope.vars, tries: 7 } }), 14);
  });
  test('an int variable holding a fraction fails in plain words', () => {
    const error = runtimeError('tries * 2', { ...scope, vars: { ...scope.vars, tries: 7.5 } });
    assert.match(error.message, /variable "tries" is a whole number \(int\) but holds 7\.5/);
  });
});

describe('strings, lists and maps', () => {
  test('string concatenation, also with numbers', () => {
    assert.equal(run('"acct-" + account'), 'acct-123456');
    assert.equal(run('"tries " + tries'), 'tries 3');
  });
  test('string functions and regexes', () => {
    assert.equal(run('account.size() == 6 && account.startsWith("12")'), true);
    assert.equal(run('input.matches("^[0-9]+$")'), true);
    assert.equal(run('int(input) + 1'), 43);
  });
  test('list and map results are plain JS with numbers', () => {
    assert.deepEqual(run('[tries, 2.5, "x"]'), [3, 2.5, 'x']);
    assert.deepEqual(run('{"n": tries, "ok": vip}'), { n: 3, ok: false });
  });
  test('a conditional picks a branch', () => {
    assert.equal(run('vip ? "gold" : "standard"'), 'standard');
  });
});

describe('names in scope', () => {
  test('input is the keys as a string', () => {
    assert.equal(run('input'), '42');
    assert.equal(run('input', { ...scope, input: undefined }), '');
  });
  test('call is a map with ids, from and headers', () => {
    assert.equal(run('call.callId + "/" + call.streamId + "/" + call.accountId'), 'c-1/s-1/MA1');
    assert.equal(run('call.from'), '+15550100');
    assert.equal(run('call.headers.lang'), 'fr');
    assert.equal(run('has(call.to)'), false);
  });
  test('now.getHours with a time zone', () => {
    // 15:30 UTC on 2 March 2026 is 10:30 in New York (EST, UTC-5) and 16:30 in Paris.
    assert.equal(run('now.getHours("America/New_York")'), 10);
    assert.equal(run("now.getHours('Europe/Paris')"), 16);
    assert.equal(run('now.getHours()'), 15);
    assert.equal(run('now.getDayOfWeek("America/New_York")'), 1);
  });
  test('now defaults to the real time when the scope has none', () => {
    const hour = run('now.getHours()', { ...scope, now: undefined });
    assert.equal(typeof hour, 'number');
    assert.ok((hour as number) >= 0 && (hour as number) < 24);
  });
  test('env is a map of strings', () => {
    assert.equal(run('"Bearer " + env.BILLING_TOKEN'), 'Bearer secret');
  });
  test('response is a map with status, headers and the JSON body', () => {
    const e: ExprEnv = { ...env, extra: [...env.extra, 'response'] };
    const s: ExprScope = { ...scope, response: { status: 200, headers: { 'content-type': 'application/json' }, body: { balance: 12.5, items: [{ id: 7 }] } } };
    assert.equal(run('response.body.balance', s, e), 12.5);
    assert.equal(run('response.status == 200', s, e), true);
    assert.equal(run('response.body.items[0].id * 2', s, e), 14);
    assert.equal(run('response.body.items.size()', s, e), 1);
  });
});

describe('compile errors in plain words', () => {
  test('an undeclared name, with did-you-mean from the declared names', () => {
    const error = failure('acount + "x"');
    assert.equal(error.kind, 'undeclared');
    assert.equal(error.name, 'acount');
    assert.equal(error.offset, 0);
    assert.equal(error.message, 'undeclared name "acount" — did you mean `account`?');
  });
  test('between equally close names, the one starting like the typo is suggested', () => {
    const e: ExprEnv = { vars: { count: 'int', account: 'string' }, extra: [] };
    assert.equal(failure('acount', e).message, 'undeclared name "acount" — did you mean `account`?');
    assert.equal(failure('cont', e).message, 'undeclared name "cont" — did you mean `count`?');
  });
  test('an undeclared name far from anything has no suggestion', () => {
    const error = failure('tries + zebra');
    assert.equal(error.message, 'undeclared name "zebra"');
    assert.equal(error.offset, 8);
  });
  test('response outside fetch.set says where it is available', () => {
    const error = failure('response.body.balance');
    assert.equal(error.kind, 'undeclared');
    assert.match(error.message, /"response" is not available here \(only in a fetch node's set\)/);
  });
  test('an unfinished expression is a syntax error at its end', () => {
    const error = failure('tries +');
    assert.equal(error.kind, 'syntax');
    assert.equal(error.message, 'syntax error: unexpected end of expression');
    assert.equal(error.offset, 7);
  });
  test('a missing parenthesis names the token, not the lexer', () => {
    const error = failure('(tries + 1');
    assert.equal(error.message, 'syntax error: missing ")" at the end of the expression');
    assert.equal(error.offset, 10);
  });
  test('an unexpected token is quoted with its offset', () => {
    const error = failure('tries + * 2');
    assert.equal(error.message, 'syntax error: unexpected "*"');
    assert.equal(error.offset, 8);
  });
  test('an unclosed string', () => {
    assert.match(failure('"abc').message, /a string is not closed/);
  });
  test('an empty expression', () => {
    assert.equal(failure('  ').message, 'syntax error: the expression is empty');
  });
  test('type errors name the operator and the types', () => {
    const error = failure('vip + 1');
    assert.equal(error.kind, 'type');
    assert.equal(error.message, 'type error: cannot apply "+" to bool and int');
  });
  test('an unknown function', () => {
    const error = failure('shout(account)');
    assert.equal(error.kind, 'type');
    assert.equal(error.message, 'type error: no function or method matches shout(string)');
  });
  test('a single "=" suggests "=="', () => {
    const error = failure('tries = 3');
    assert.equal(error.kind, 'syntax');
    assert.equal(error.offset, 6);
    assert.match(error.message, /unexpected "=": compare with "=="/);
  });
  test('has() on something that is not a field', () => {
    assert.equal(failure('has(tries)').message, 'type error: has() takes a field, as in has(response.body.balance)');
  });
  test('a unary operator on the wrong type', () => {
    assert.equal(failure('!account').message, 'type error: cannot apply "!" to string');
  });
  test('no message carries cel-js source excerpts or stack text', () => {
    for (const source of ['tries +', '(1', 'acount', 'vip + 1', 'x.y(', '"a" * 2']) {
      const error = failure(source);
      assert.doesNotMatch(error.message, /\n|\^|at .*\.js|[A-Z]{4,}/, source);
    }
  });
});

describe('runtime failures are ExprErrors', () => {
  const e: ExprEnv = { ...env, extra: [...env.extra, 'response'] };
  const s: ExprScope = { ...scope, response: { status: 200, headers: {}, body: { balance: 1 } } };
  test('a missing key in the response body', () => {
    const error = runtimeError('response.body.balnce', s, e);
    assert.equal(error.message, 'no key "balnce" in response.body (expression "response.body.balnce")');
  });
  test('division by zero', () => {
    assert.equal(runtimeError('tries / 0').message, 'division by zero in "tries / 0"');
  });
  test('a double division by zero is an error too, not Infinity', () => {
    assert.match(runtimeError('balance / 0.0').message, /is not a finite number/);
  });
  test('an invalid regular expression at run time', () => {
    // A literal pattern is checked when compiled (invalid-regex); one only known at run time fails there.
    assert.match(runtimeError('"x".matches(input)', { ...scope, input: '[' }).message, /invalid regular expression/);
  });
  test('a type mismatch at run time', () => {
    const error = runtimeError('response.body.balance + "x" + response.body.balance.size()', s, e);
    assert.doesNotMatch(error.message, /\n/);
  });
  test('a variable missing from the scope', () => {
    const error = runtimeError('account', { ...scope, vars: {} });
    assert.match(error.message, /account/);
  });
});
