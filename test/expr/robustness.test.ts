import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { compileExpr, compileTemplate, ExprError, parseTemplate, type ExprEnv } from '../../src/expr/index.js';

const env: ExprEnv = { vars: { n: 'int', s: 'string', d: 'dyn' }, extra: ['input', 'call', 'now', 'env'] };
/** Characters CEL and templates care about, so random text hits the interesting paths often. */
const celChar = fc.constantFrom(...'ns d.()[]{}"\'\\+-*/%<>=!&|?:,0123456789 abc_'.split(''));
const celText = fc.array(celChar, { maxLength: 40 }).map((cs) => cs.join(''));

describe('expressions never crash the caller', () => {
  test('compileExpr returns a result for any text, with an offset inside the text', () => {
    fc.assert(fc.property(fc.oneof(celText, fc.string()), (source) => {
      const result = compileExpr(source, env);
      if (!result.ok) {
        assert.equal(typeof result.error.message, 'string');
        assert.doesNotMatch(result.error.message, /\n/);
        if (result.error.offset !== undefined) assert.ok(result.error.offset >= 0 && result.error.offset <= source.length);
      }
    }), { numRuns: 2000 });
  });

  test('evaluation either returns a value or throws an ExprError', () => {
    fc.assert(fc.property(celText, fc.integer(), fc.string(), (source, n, s) => {
      const result = compileExpr(source, env);
      if (!result.ok) return;
      try {
        result.expr.evaluate({ vars: { n, s, d: { a: [1, 'x'] } }, input: s });
      } catch (error) {
        assert.ok(error instanceof ExprError, `${source}: ${String(error)}`);
      }
    }), { numRuns: 2000 });
  });
});

describe('templates', () => {
  test('text without "{{" is one text part, unchanged', () => {
    fc.assert(fc.property(fc.string().filter((t) => !t.includes('{{') && t !== ''), (text) => {
      assert.deepEqual(parseTemplate(text), { ok: true, parts: [{ text }] });
    }));
  });

  test('each expression part points at its own text, and the text parts are the rest', () => {
    const literal = fc.string().filter((t) => !t.includes('{') && !t.includes('}'));
    const template = fc.constantFrom('{{ n }}', '{{s}}', '{{ "}}" }}', '{{ {"a": 1}.a }}');
    fc.assert(fc.property(fc.array(fc.oneof(literal, template), { maxLength: 6 }), (pieces) => {
      const text = pieces.join('');
      const parsed = parseTemplate(text);
      assert.ok(parsed.ok, text);
      let rest = '';
      for (const part of parsed.parts) {
        if ('text' in part) rest += part.text;
        else assert.equal(text.slice(part.offset, part.offset + part.expr.length), part.expr);
      }
      assert.equal(rest, pieces.filter((p) => !p.startsWith('{{')).join(''));
    }));
  });

  test('compileTemplate never throws', () => {
    fc.assert(fc.property(fc.oneof(celText, fc.string()).map((t) => `a{{${t}}}b`), (text) => {
      const result = compileTemplate(text, env);
      if (!result.ok) assert.ok(result.error.offset >= 0 && result.error.offset <= text.length, `${text}: ${result.error.offset}`);
    }), { numRuns: 1000 });
  });
});
