/**
 * "did you mean `main_menu`?" for a misspelt name: the closest candidate by edit distance,
 * when it is close enough to be a plausible typo (at most a third of the name's length, min 1;
 * names under 3 characters only match ignoring case).
 */
export function closest(name: string, candidates: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  // Very short names are all one edit apart: suggest only for names of 3+ characters.
  const limit = name.length < 3 ? 0 : Math.max(1, Math.floor(name.length / 3));
  const lower = name.toLowerCase();
  let cells = 0;
  for (const candidate of candidates) {
    if (Math.abs(candidate.length - name.length) > limit) continue;
    if (cells > SUGGESTION_CELLS) break;
    const { distance: d, filled } = boundedDistance(lower, candidate.toLowerCase(), Math.min(limit, bestDistance - 1));
    cells += filled;
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return bestDistance <= limit ? best : undefined;
}

/**
 * Cells of edit-distance tables one suggestion may fill before it settles for the best so far.
 * Every misspelt reference looks at every name of its kind: a file with a thousand long node
 * names alike and as many wrong targets cost their product (136 KB: 19 s, 272 KB: over a minute).
 * A name far from the misspelt one stops after a few rows: a real flow's suggestion fills a few
 * thousand cells (100 names of 15 characters: under 20 000); a thousand names of 20, ~250 000.
 */
const SUGGESTION_CELLS = 200_000;

/** " — did you mean `x`?" or "", ready to append to a message. */
export function didYouMean(name: string, candidates: Iterable<string>): string {
  const suggestion = closest(name, candidates);
  return suggestion === undefined ? '' : ` — did you mean \`${suggestion}\`?`;
}

/**
 * Levenshtein distance with adjacent transpositions counted as one edit (`promt`/`prmopt`).
 * With `max`, any distance over it is returned as `max + 1`, found as soon as a whole row is over.
 */
export function editDistance(a: string, b: string, max = Infinity): number {
  return boundedDistance(a, b, max).distance;
}

/** `editDistance`, and how many cells of the table it filled. */
function boundedDistance(a: string, b: string, max: number): { distance: number; filled: number } {
  let before: number[] = [];
  let previous: number[] = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    let least = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(previous[j]! + 1, row[j - 1]! + 1, previous[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, before[j - 2]! + 1);
      row.push(d);
      least = Math.min(least, d);
    }
    // A row's least value never drops in the rows below it (transpositions read two rows up, and cost 1 more).
    if (least > max) return { distance: max + 1, filled: (i + 1) * (b.length + 1) };
    before = previous;
    previous = row;
  }
  return { distance: Math.min(previous[b.length]!, max + 1), filled: (a.length + 1) * (b.length + 1) };
}
