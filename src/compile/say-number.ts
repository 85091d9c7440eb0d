/**
 * Numbers and digit strings as the names of system prompts (flow-language.md, "Prompt items"):
 * `digit-0` … `digit-9`, `number-10` … `number-19`, `number-20` … `number-90`, `hundred`,
 * `thousand`, `million`, `minus`, `point`. The prompt store resolves the names to audio; a flow
 * may override any of them with its own files.
 */

/** Largest magnitude read out; beyond it floating point no longer holds every digit. */
const MAX_SAYABLE = 1e15;
/** Decimals read after `point`: enough for money and measures, few enough to hide float noise (0.1 + 0.2). */
const MAX_DECIMALS = 6;

/**
 * The prompt names that say `value` in words, by the rules of `language` (Spanish has its own;
 * every other language is read the English way, with its own recordings of the words).
 * @example sayNumber(42.5)  // ['number-40', 'digit-2', 'point', 'digit-5']
 * @example sayNumber(-123)  // ['minus', 'digit-1', 'hundred', 'number-20', 'digit-3']
 * @example sayNumber(101, 'es')  // ['hundreds-1', 'digit-1']  ("ciento uno")
 * @throws RangeError when the value is not a finite number (or numeric string) within ±1e15.
 */
export function sayNumber(value: unknown, language = 'en'): string[] {
  const n = toNumber(value);
  if (n === undefined || !Number.isFinite(n) || Math.abs(n) >= MAX_SAYABLE) {
    throw new RangeError(`cannot say ${JSON.stringify(String(value))} as a number`);
  }
  const names: string[] = [];
  const fixed = Math.abs(n).toFixed(MAX_DECIMALS).replace(/\.?0+$/, '');
  const [whole = '0', fraction = ''] = fixed.split('.');
  if (n < 0 && fixed !== '0') names.push('minus');
  names.push(...(language === 'es' ? sayWholeEs(Number(whole), false) : sayWhole(Number(whole))));
  if (fraction !== '') {
    names.push('point');
    for (const d of fraction) names.push(`digit-${d}`);
  }
  return names;
}

/**
 * Reads a value digit by digit: `digit-N` for each 0-9 character. Other characters are
 * returned in `skipped` so the caller can log them (there are no system prompts for them).
 * @example sayDigits('12-3') // { names: ['digit-1', 'digit-2', 'digit-3'], skipped: '-' }
 */
export function sayDigits(value: unknown): { names: string[]; skipped: string } {
  const text = typeof value === 'string' ? value : stringOf(value);
  const names: string[] = [];
  let skipped = '';
  for (const ch of text) {
    if (ch >= '0' && ch <= '9') names.push(`digit-${ch}`);
    else skipped += ch;
  }
  return { names, skipped };
}

function sayWhole(n: number): string[] {
  if (n === 0) return ['digit-0'];
  const names: string[] = [];
  const millions = Math.floor(n / 1_000_000);
  const thousands = Math.floor((n % 1_000_000) / 1000);
  const rest = n % 1000;
  // "one thousand million" rather than billion: the system prompt set stops at million.
  if (millions > 0) names.push(...sayWhole(millions), 'million');
  if (thousands > 0) names.push(...sayBelowThousand(thousands), 'thousand');
  if (rest > 0) names.push(...sayBelowThousand(rest));
  return names;
}

function sayBelowThousand(n: number): string[] {
  const names: string[] = [];
  const hundreds = Math.floor(n / 100);
  const rest = n % 100;
  if (hundreds > 0) names.push(`digit-${hundreds}`, 'hundred');
  if (rest >= 20) {
    names.push(`number-${Math.floor(rest / 10) * 10}`);
    if (rest % 10 > 0) names.push(`digit-${rest % 10}`);
  } else if (rest >= 10) {
    names.push(`number-${rest}`);
  } else if (rest > 0) {
    names.push(`digit-${rest}`);
  }
  return names;
}

/**
 * Spanish: "veintiuno" (21), "treinta y uno" (31), "cien" (100), "ciento uno" (101), "mil" (1000,
 * never "un mil"), "un millón", "dos millones", "veintiún mil" (`un`: "uno" shortened before
 * "mil"/"millón"). Masculine forms throughout (a number said on its own).
 */
function sayWholeEs(n: number, shortened: boolean): string[] {
  if (n === 0) return ['digit-0'];
  const names: string[] = [];
  const millions = Math.floor(n / 1_000_000);
  const thousands = Math.floor((n % 1_000_000) / 1000);
  const rest = n % 1000;
  if (millions === 1) names.push('un', 'million');
  else if (millions > 1) names.push(...sayWholeEs(millions, true), 'millions');
  if (thousands === 1) names.push('thousand');
  else if (thousands > 1) names.push(...sayBelowThousandEs(thousands, true), 'thousand');
  if (rest > 0) names.push(...sayBelowThousandEs(rest, shortened));
  return names;
}

function sayBelowThousandEs(n: number, shortened: boolean): string[] {
  const names: string[] = [];
  const hundreds = Math.floor(n / 100);
  const rest = n % 100;
  if (hundreds > 0) names.push(hundreds === 1 && rest === 0 ? 'hundred' : `hundreds-${hundreds}`);
  const one = shortened ? 'un' : 'digit-1';
  if (rest >= 30) {
    names.push(`number-${Math.floor(rest / 10) * 10}`);
    const ones = rest % 10;
    if (ones > 0) names.push('and', ones === 1 ? one : `digit-${ones}`);
  } else if (rest >= 10) {
    names.push(rest === 21 && shortened ? 'number-21-un' : `number-${rest}`);
  } else if (rest > 0) {
    names.push(rest === 1 ? one : `digit-${rest}`);
  }
  return names;
}

function toNumber(value: unknown): number | undefined {
  if (typeof value === 'number') return value;
  if (typeof value === 'bigint') return Number(value);
  if (typeof value === 'string' && value.trim() !== '' && !Number.isNaN(Number(value))) return Number(value);
  return undefined;
}

function stringOf(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value as string | number | boolean | bigint);
}
