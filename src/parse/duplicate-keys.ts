import { isMap, isPair, isScalar, isSeq } from 'yaml';
import type { Document } from 'yaml';

export interface DuplicateKey {
  /** The key as written, for the message. */
  key: string;
  /** Range of the second (and later) occurrence. */
  start: number;
  end: number;
}

/**
 * Keys given twice in the same map, in one pass with a set per map. yaml's own check
 * (`uniqueKeys`) compares each key with every earlier one (40,000 keys took 12 s), so the
 * document is composed without it and this finds the same keys: scalars equal by value and type
 * (`1` and `"1"` differ, as in yaml). Iterative, like every walk over a flow file's tree.
 */
export function duplicateKeys(doc: Document.Parsed): DuplicateKey[] {
  const found: DuplicateKey[] = [];
  const stack: unknown[] = [doc.contents];
  while (stack.length > 0) {
    const node = stack.pop();
    if (isMap(node)) {
      const seen = new Set<unknown>();
      for (const pair of node.items) {
        if (!isPair(pair)) continue;
        if (isScalar(pair.key)) {
          const value = pair.key.value;
          if (seen.has(value) && pair.key.range) found.push({ key: String(value), start: pair.key.range[0], end: pair.key.range[1] });
          seen.add(value);
        } else if (pair.key !== null) {
          stack.push(pair.key);
        }
        stack.push(pair.value);
      }
    } else if (isSeq(node)) {
      for (const item of node.items) stack.push(item);
    }
  }
  return found.sort((a, b) => a.start - b.start);
}
