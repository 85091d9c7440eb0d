/**
 * Which variables an expression reads, and which variables follow from others through
 * assignments: what `ivr test` varies at a call's start (testing/start-variants.ts) and what
 * holds a sensitive collect's value (compile/sensitive.ts) are both decided here.
 *
 * A name counts as read when the CEL text mentions it outside string literals. That may count
 * a field of the same name (`response.body.pin` mentions `pin`), never misses a read: a
 * question asked for masking errs towards hiding.
 *
 * @example
 *   mentions("int(pin) + 1", new Set(['pin']))    // true
 *   mentions("'pin' + tries", new Set(['pin']))   // false
 */
export function mentions(text: string, names: ReadonlySet<string>): boolean {
  if (names.size === 0) return false;
  const code = text.replace(/'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*"/g, '');
  for (const word of code.match(/[A-Za-z_][A-Za-z0-9_]*/g) ?? []) if (names.has(word)) return true;
  return false;
}

/** A variable given the value of an expression (`set`, a fetch's `set`, a subflow's `input`/`output`). */
export interface AssignedFrom {
  assigns: string;
  text: string;
}

/**
 * `seeds` and every variable assigned, at any remove, from an expression that mentions one of
 * them (repeated until nothing is added).
 *
 * @example
 *   dependentNames(['pin'], [{ assigns: 'last', text: 'pin.substring(2, 4)' }, { assigns: 'x', text: 'last' }]) // {pin, last, x}
 */
export function dependentNames(seeds: Iterable<string>, assignments: readonly AssignedFrom[]): Set<string> {
  const names = new Set(seeds);
  if (names.size === 0) return names;
  for (let grew = true; grew; ) {
    grew = false;
    for (const a of assignments) {
      if (!names.has(a.assigns) && mentions(a.text, names)) {
        names.add(a.assigns);
        grew = true;
      }
    }
  }
  return names;
}
