import { compileRegex } from '../expr/linear-regex.js';

/**
 * A short string a regular expression accepts, for generated tests that must type something a
 * `pattern` allows (`^2[0-9]{3}$` → `2000`, a date of birth → `01011900`). Covers what DTMF
 * patterns use: literals, classes, groups with alternation, quantifiers, anchors. Takes the
 * first alternative and the fewest repetitions, then checks the result with the pattern's RE2;
 * undefined when it does not match (lookarounds, backreferences, ...).
 */
import { DTMF_KEY_LIST } from '../flow/dtmf-keys.js';

export function regexExample(pattern: string): string | undefined {
  const compiled = compileRegex(pattern);
  if (!compiled.ok) return undefined;
  const re = compiled.regex;
  let out: string | undefined;
  try {
    out = new Sampler(pattern).alternation();
  } catch {
    return undefined;
  }
  return out !== undefined && re.test(out) ? out : undefined;
}

class Sampler {
  private i = 0;

  constructor(private readonly src: string) {}

  /** branch ('|' branch)*: the first branch's sample, the others skipped. */
  alternation(): string {
    const first = this.sequence();
    while (this.peek() === '|') {
      this.i++;
      this.sequence();
    }
    return first;
  }

  private sequence(): string {
    let out = '';
    while (this.i < this.src.length && this.peek() !== '|' && this.peek() !== ')') {
      const atom = this.atom();
      out += atom.repeat(this.quantifier());
    }
    return out;
  }

  private atom(): string {
    const c = this.src[this.i++]!;
    switch (c) {
      case '^':
      case '$':
        return '';
      case '(': {
        if (this.peek() === '?') {
          if (this.src[this.i + 1] !== ':') throw new Error('lookaround');
          this.i += 2;
        }
        const inner = this.alternation();
        if (this.src[this.i++] !== ')') throw new Error('unclosed group');
        return inner;
      }
      case '[':
        return this.charClass();
      case '.':
        return '1';
      case '\\':
        return escaped(this.src[this.i++] ?? '');
      default:
        return c;
    }
  }

  /** The class's first member, or for a negated class the first DTMF key it allows. */
  private charClass(): string {
    const negated = this.peek() === '^';
    if (negated) this.i++;
    const members: string[] = [];
    while (this.i < this.src.length && this.peek() !== ']') {
      let c = this.src[this.i++]!;
      if (c === '\\') c = escaped(this.src[this.i++] ?? '');
      if (this.peek() === '-' && this.src[this.i + 1] !== ']') {
        this.i++;
        let end = this.src[this.i++]!;
        if (end === '\\') end = escaped(this.src[this.i++] ?? '');
        for (let code = c.charCodeAt(0); code <= end.charCodeAt(0); code++) members.push(String.fromCharCode(code));
      } else {
        members.push(c);
      }
    }
    this.i++;
    if (!negated) return members[0] ?? '';
    return [...DTMF_KEY_LIST].find((k) => !members.includes(k)) ?? '';
  }

  /** How many times the atom before it repeats: the minimum the quantifier allows. */
  private quantifier(): number {
    const c = this.peek();
    let n = 1;
    if (c === '?' || c === '*') {
      this.i++;
      n = 0;
    } else if (c === '+') {
      this.i++;
    } else if (c === '{') {
      const m = /^\{(\d+)(,\d*)?\}/.exec(this.src.slice(this.i));
      if (!m) return 1;
      this.i += m[0].length;
      n = Number(m[1]);
    } else {
      return 1;
    }
    if (this.peek() === '?') this.i++;
    return n;
  }

  private peek(): string | undefined {
    return this.src[this.i];
  }
}

function escaped(c: string): string {
  if (c === 'd') return '0';
  if (c === 'w') return 'a';
  if (c === 's') return ' ';
  return c;
}
