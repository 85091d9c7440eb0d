import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { compileJsonTemplate, compileTemplate, parseTemplate, renderDeep, type ExprEnv, type ExprScope, type RenderOptions } from '../../src/expr/index.js';

const env: ExprEnv = { vars: { account: 'string', ext: 'int', balance: 'double', billingApi: 'string', vip: 'bool' }, extra: ['input', 'call', 'now', 'env'] };
const scope: ExprScope = { vars: { account: 'a/b c', ext: 2001, balance: 12.5, billingApi: 'http://127.0.0.1:8089', vip: true } };

function render(text: string, opts?: RenderOptions): unknown {
  const compiled = compileTemplate(text, env);
  if (!compiled.ok) assert.fail(`${text}: ${compiled.error.message}`);
  return compiled.template.render(scope, opts);
}

describe('parsing templates', () => {
  test('text and expressions with their offsets', () => {
    assert.deepEqual(parseTemplate('*2{{ ext }}#'), { ok: true, parts: [{ text: '*2' }, { expr: 'ext', offset: 5 }, { text: '#' }] });
  });
  test('plain text is one text part', () => {
    assert.deepEqual(parseTemplate('hello'), { ok: true, parts: [{ text: 'hello' }] });
  });
  test('"}}" inside a CEL string or a map literal does not close the template', () => {
    const strings = parseTemplate('{{ "}}" + account }}!');
    assert.deepEqual(strings, { ok: true, parts: [{ expr: '"}}" + account', offset: 3 }, { text: '!' }] });
    const maps = parseTemplate('{{ {"a": {"b": 1}}.a.b }}');
    assert.deepEqual(maps, { ok: true, parts: [{ expr: '{"a": {"b": 1}}.a.b', offset: 3 }] });
  });
  test('an unclosed template points at its "{{"', () => {
    assert.deepEqual(parseTemplate('abc {{ account'), { ok: false, error: { message: 'template "{{" is never closed with "}}"', offset: 4 } });
  });
  test('an empty template is an error', () => {
    const parsed = parseTemplate('x{{  }}');
    assert.equal(parsed.ok, false);
    if (!parsed.ok) assert.equal(parsed.error.offset, 1);
  });
});

describe('rendering', () => {
  test('a string that is exactly one template keeps the value type', () => {
    assert.equal(render('{{ ext }}'), 2001);
    assert.equal(render('{{ balance }}'), 12.5);
    assert.equal(render('{{ vip }}'), true);
    assert.deepEqual(render('{{ [ext, 1] }}'), [2001, 1]);
  });
  test('mixed text stringifies values', () => {
    assert.equal(render('*2{{ ext }}#'), '*22001#');
    assert.equal(render('balance={{ balance }} vip={{ vip }}'), 'balance=12.5 vip=true');
    assert.equal(render('{{ ext }} '), '2001 ');
  });
  test('values in a URL are URL-encoded', () => {
    assert.equal(render('https://billing.example.com/accounts/{{ account }}', { urlEncode: true }), 'https://billing.example.com/accounts/a%2Fb%20c');
    assert.equal(render('/q?a={{ account }}&x={{ "&=?" }}', { urlEncode: true }), '/q?a=a%2Fb%20c&x=%26%3D%3F');
  });
  test('a value at the very start of a URL is its base and is not encoded', () => {
    assert.equal(render('{{ billingApi }}/accounts/{{ account }}', { urlEncode: true }), 'http://127.0.0.1:8089/accounts/a%2Fb%20c');
  });
  test('a value cannot add a path segment: `.` and `..` (alone or pieced together) are refused, dots elsewhere pass', () => {
    const renderWith = (text: string, vars: Record<string, unknown>): unknown => {
      const compiled = compileTemplate(text, { vars: { acct: 'string', sub: 'string', api: 'string' }, extra: [] });
      if (!compiled.ok) assert.fail(compiled.error.message);
      return compiled.template.render({ vars }, { urlEncode: true });
    };
    const url = '{{ api }}/accounts/{{ acct }}/{{ sub }}/balance';
    const api = 'http://127.0.0.1:8089';
    for (const sub of ['..', '.']) {
      assert.throws(() => renderWith(url, { api, acct: '42', sub }), /makes a `\.` or `\.\.` path segment/, `sub = ${sub}`);
    }
    assert.throws(() => renderWith('{{ api }}/a/{{ acct }}{{ sub }}/b', { api, acct: '.', sub: '.' }), /path segment/, 'pieced together');
    assert.throws(() => renderWith('{{ api }}/a/.{{ sub }}/b', { api, sub: '.' }), /path segment/, 'with a literal dot');
    assert.equal(renderWith(url, { api, acct: '4.2', sub: '...' }), `${api}/accounts/4.2/.../balance`);
    assert.equal(renderWith('{{ api }}/a?q={{ sub }}', { api, sub: '..' }), `${api}/a?q=..`, 'in the query a dot is a dot');
  });
  test('without urlEncode nothing is encoded', () => {
    assert.equal(render('/accounts/{{ account }}'), '/accounts/a/b c');
  });
});

describe('compile errors carry offsets into the template text', () => {
  test('an undeclared name inside a template', () => {
    const compiled = compileTemplate('/accounts/{{ acount }}', env);
    assert.equal(compiled.ok, false);
    if (compiled.ok) return;
    assert.equal(compiled.error.kind, 'undeclared');
    assert.equal(compiled.error.offset, 13);
    assert.match(compiled.error.message, /did you mean `account`/);
  });
  test('a syntax error inside a template', () => {
    const compiled = compileTemplate('x{{ ext + }}', env);
    assert.equal(compiled.ok, false);
    if (compiled.ok) return;
    assert.equal(compiled.error.kind, 'syntax');
    assert.equal(compiled.error.offset, 9, 'the end of "ext +"');
  });
});

describe('JSON bodies and headers', () => {
  test('string leaves are templates, other values are kept', () => {
    const compiled = compileJsonTemplate({ account: '{{ account }}', ext: '{{ ext }}', note: 'ext {{ ext }}', items: ['{{ vip }}', 3, null], fixed: true }, env);
    if (!compiled.ok) assert.fail(compiled.error.message);
    assert.deepEqual(compiled.template.render(scope), { account: 'a/b c', ext: 2001, note: 'ext 2001', items: [true, 3, null], fixed: true });
  });
  test('an error names the JSON pointer of the failing leaf', () => {
    const compiled = compileJsonTemplate({ a: { b: ['ok', '{{ nope }}'] } }, env);
    assert.equal(compiled.ok, false);
    if (!compiled.ok) assert.equal(compiled.error.pointer, '/a/b/1');
  });
  test('renderDeep renders once without a compile step', () => {
    assert.deepEqual(renderDeep({ h: 'Bearer {{ env.T }}', n: '{{ ext }}' }, { ...scope, env: { T: 'tok' } }), { h: 'Bearer tok', n: 2001 });
  });
});

describe('rendering with hidden names', () => {
  const hide = { names: new Set(['ext']), as: '***' };
  test('each part reading a hidden name is the mask, not evaluated; the rest render as usual, URL-encoded', () => {
    assert.equal(render('{{ billingApi }}/x/{{ ext }}/{{ account }}?n={{ string(ext + 2) }}', { urlEncode: true, hide }), 'http://127.0.0.1:8089/x/***/a%2Fb%20c?n=***');
    assert.equal(render('*2{{ balance }}{{ ext }}#', { hide }), '*212.5***#');
    // A template that is one part keeps its type when shown, the mask when hidden.
    assert.equal(render('{{ ext }}', { hide }), '***');
    assert.equal(render('{{ balance }}', { hide }), 12.5);
  });
  test('a name in a CEL string is not a read', () => {
    assert.equal(render('{{ "ext" + account }}', { hide }), 'exta/b c');
  });
});
