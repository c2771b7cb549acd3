/**
 * Exact counts per distinct score key (scoreKey.ts) of any number of pixels, without sorting
 * them as they come: a key's high 16 bits pick one of 65,536 buckets, which keeps the low 16
 * bits of each of its pixels in a list, or, once the list is longer than the bucket's dense form,
 * a count for each of the 65,536 low values. Adding an image is a few passes over its pixels;
 * the figures read a bucket as its total, or, where defect scores fall in it, as its counts
 * between them, over one set or several together (a defect type's images with the good ones)
 * without copying them or sorting the keys. Normal pixels are nearly all of an evaluation's
 * pixels and nearly every one has its own score, so this replaces a sort and a merge per image
 * with a write per pixel.
 *
 * Memory: 2 bytes per pixel in list buckets, 512 KiB per dense bucket (a bucket turns dense at
 * 262,144 pixels, where its list would be as large), 65,536 slots of bookkeeping per set, and a
 * pixel count per bucket, so a bucket the figures need only in total is never read key by key.
 */

const BUCKETS = 1 << 16;
const LOW = 0xffff;
/** Pixels of one bucket beyond which a count per low value is smaller than the list. */
const DENSE_AT = 1 << 18;

const NO_LIST = new Uint16Array(0);
const NOT_DENSE = new Float64Array(0);
/** Scratch shared by every call: all zero between calls (each call zeroes what it used). */
const perBucket = new Uint32Array(BUCKETS);
const touched = new Uint32Array(BUCKETS);
/** For cut: each low value's slot among the cuts, and the pixels counted per slot. */
const slotOf = new Uint32Array(LOW + 1);
const tally = new Float64Array(2 * (LOW + 1) + 1);

export class KeyCounts {
  // Filled, never holey: a holey array this long would fall back to slow dictionary elements.
  private readonly lists: Uint16Array[] = Array.from({ length: BUCKETS }, () => NO_LIST);
  private readonly lengths = new Uint32Array(BUCKETS);
  private readonly dense: Float64Array[] = Array.from({ length: BUCKETS }, () => NOT_DENSE);
  /** Pixels per bucket, list or dense: a bucket's total without reading its keys. */
  private readonly inBucket = new Float64Array(BUCKETS);
  private pixels = 0;

  /** Pixels counted so far. */
  get total(): number {
    return this.pixels;
  }

  /** Counts the first `n` keys of `keys`. */
  addAll(keys: Uint32Array, n: number): void {
    let used = 0;
    for (let i = 0; i < n; i++) {
      const bucket = keys[i] >>> 16;
      if (perBucket[bucket]++ === 0) touched[used++] = bucket;
    }
    for (let j = 0; j < used; j++) {
      const bucket = touched[j];
      const needed = this.lengths[bucket] + perBucket[bucket];
      this.inBucket[bucket] += perBucket[bucket];
      perBucket[bucket] = 0;
      if (this.dense[bucket] !== NOT_DENSE) continue;
      if (needed > DENSE_AT) this.makeDense(bucket);
      else if (needed > this.lists[bucket].length) this.grow(bucket, Math.min(DENSE_AT, Math.max(needed, 2 * this.lists[bucket].length)));
    }
    const { lists, lengths, dense } = this;
    for (let i = 0; i < n; i++) {
      const key = keys[i];
      const bucket = key >>> 16;
      const counts = dense[bucket];
      if (counts !== NOT_DENSE) counts[key & LOW]++;
      else lists[bucket][lengths[bucket]++] = key & LOW;
    }
    this.pixels += n;
  }

  private grow(bucket: number, capacity: number): void {
    const list = new Uint16Array(capacity);
    list.set(this.lists[bucket].subarray(0, this.lengths[bucket]));
    this.lists[bucket] = list;
  }

  private makeDense(bucket: number): void {
    const counts = new Float64Array(LOW + 1);
    const list = this.lists[bucket];
    for (let i = 0; i < this.lengths[bucket]; i++) counts[list[i]]++;
    this.dense[bucket] = counts;
    this.lists[bucket] = NO_LIST;
    this.lengths[bucket] = 0;
  }

  /** Pixels of bucket `bucket` (the keys' high 16 bits) over all of `sets`. */
  static bucketTotal(sets: readonly KeyCounts[], bucket: number): number {
    let total = 0;
    for (const set of sets) total += set.inBucket[bucket];
    return total;
  }

  /**
   * The normal pixels of bucket `bucket` (the keys' high 16 bits) over all of `sets`, counted
   * against `cuts`: the low halves of the bucket's defect keys, distinct, from the highest down
   * (the first `n`). Writes into `at[i]` the pixels whose low half is `cuts[i]` and into
   * `above[i]` those strictly between it and the cut above (the bucket's top for i = 0);
   * returns those below the last cut. The figures need nothing finer: between two defect scores
   * only the false-positive rate moves.
   */
  static cut(sets: readonly KeyCounts[], bucket: number, cuts: Uint16Array, n: number, at: Float64Array, above: Float64Array): number {
    // Each low value's slot, 2i for cuts[i] and 2i + 1 for the span above it (2n below the last),
    // filled span by span: a pixel is then a lookup and an increment. Counting per low value and
    // reading the counts back beside the cuts took 1.7 times as long over pitting's test set.
    let top = LOW + 1;
    for (let i = 0; i < n; i++) {
      const cut = cuts[i];
      slotOf.fill(2 * i + 1, cut + 1, top);
      slotOf[cut] = 2 * i;
      top = cut;
    }
    slotOf.fill(2 * n, 0, top);
    for (const set of sets) {
      const dense = set.dense[bucket];
      if (dense !== NOT_DENSE) for (let low = 0; low <= LOW; low++) tally[slotOf[low]] += dense[low];
      const list = set.lists[bucket];
      for (let i = 0, length = set.lengths[bucket]; i < length; i++) tally[slotOf[list[i]]]++;
    }
    for (let i = 0; i < n; i++) {
      at[i] = tally[2 * i];
      above[i] = tally[2 * i + 1];
    }
    const below = tally[2 * n];
    tally.fill(0, 0, 2 * n + 1);
    return below;
  }
}

export const KEY_BUCKETS = BUCKETS;
/** The most distinct keys one bucket can hold. */
export const KEY_BUCKET_SIZE = LOW + 1;
