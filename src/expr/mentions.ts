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
  for (const word of namesIn(text)) if (names.has(word)) return true;
  return false;
}

/** Every name the CEL text mentions outside string literals, as `mentions` reads it. */
function namesIn(text: string): string[] {
  const code = text.replace(/'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*"/g, '');
  return code.match(/[A-Za-z_][A-Za-z0-9_]*/g) ?? [];
}

/** A variable given the value of an expression (`set`, a fetch's `set`, a subflow's `input`/`output`). */
export interface AssignedFrom {
  assigns: string;
  text: string;
}

/**
 * `seeds` and every variable assigned, at any remove, from an expression that mentions one of
 * them. Each expression is read once and each name followed once (a worklist over the names'
 * readers), so the time follows the flow's size: a file of thousands of chained `set`s in the
 * worst order costs what it reads, not its square.
 *
 * @example
 *   dependentNames(['pin'], [{ assigns: 'last', text: 'pin.substring(2, 4)' }, { assigns: 'x', text: 'last' }]) // {pin, last, x}
 */
export function dependentNames(seeds: Iterable<string>, assignments: readonly AssignedFrom[]): Set<string> {
  const names = new Set(seeds);
  if (names.size === 0) return names;
  // Which variables are assigned from an expression that mentions each name.
  const readers = new Map<string, string[]>();
  for (const a of assignments) {
    for (const word of new Set(namesIn(a.text))) {
      const list = readers.get(word);
      if (list === undefined) readers.set(word, [a.assigns]);
      else list.push(a.assigns);
    }
  }
  const pending = [...names];
  for (let name = pending.pop(); name !== undefined; name = pending.pop()) {
    for (const assigned of readers.get(name) ?? []) {
      if (names.has(assigned)) continue;
      names.add(assigned);
      pending.push(assigned);
    }
  }
  return names;
}
