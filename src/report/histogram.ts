/**
 * Percentiles in bounded memory: a histogram with fixed buckets, exact to the millisecond below
 * 1,000 and to three significant digits above (41,234 ms counts as 41,200; an error below 1 %).
 * A bucket is only stored once a value falls in it and there are at most ~900 per power of ten,
 * so a histogram stays a few KB whatever the number of values. Reported values are the bucket's
 * lower bound: a percentile is never larger than the true one, and smaller by less than 1 %.
 *
 *   const h = new Histogram(); for (const ms of durations) h.add(ms); h.percentile(0.95);
 */
export class Histogram {
  private readonly buckets = new Map<number, number>();
  private total = 0;

  add(value: number): void {
    if (!Number.isFinite(value)) return;
    const bucket = bucketOf(value);
    this.buckets.set(bucket, (this.buckets.get(bucket) ?? 0) + 1);
    this.total++;
  }

  get count(): number {
    return this.total;
  }

  /**
   * The nearest-rank percentile (`q` in 0..1): the smallest bucket value at or below which at
   * least q of the values lie. 0 when empty.
   */
  percentile(q: number): number {
    if (this.total === 0) return 0;
    const rank = Math.max(1, Math.ceil(q * this.total));
    let seen = 0;
    for (const bucket of [...this.buckets.keys()].sort((a, b) => a - b)) {
      seen += this.buckets.get(bucket)!;
      if (seen >= rank) return bucket;
    }
    return 0;
  }
}

/** The bucket (its lower bound) of a value: whole ms below 1000, else three significant digits. */
export function bucketOf(value: number): number {
  const ms = Math.min(Number.MAX_SAFE_INTEGER, Math.max(0, Math.floor(value)));
  if (ms < 1000) return ms;
  const step = 10 ** (String(ms).length - 3);
  return Math.floor(ms / step) * step;
}
