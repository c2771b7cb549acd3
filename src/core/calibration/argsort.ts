// Typed arrays use the platform's byte order; find which 32-bit word of a float64 holds the sign.
const HIGH_WORD = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1 ? 1 : 0;
const DIGIT_BITS = 16;
const DIGIT_MASK = (1 << DIGIT_BITS) - 1;

/**
 * The permutation that sorts `keys` ascending (stable), by a least-significant-digit radix sort
 * of the keys' IEEE-754 bits. It is linear and several times faster in V8 than sorting indices
 * with a comparator, which the 4-million-point calibration grid needs. Keys must not be NaN.
 */
export function argsortFloat64(keys: Float64Array): Uint32Array {
  const n = keys.length;
  const words = new Uint32Array(keys.buffer, keys.byteOffset, 2 * n);
  // Map each key's bits to unsigned integers in the keys' order: negatives reverse, so flip all
  // their bits; non-negatives only need the sign bit set to come after them.
  const high = new Uint32Array(n);
  const low = new Uint32Array(n);
  for (let i = 0; i < n; i++) {
    const h = words[2 * i + HIGH_WORD];
    const l = words[2 * i + 1 - HIGH_WORD];
    const negative = (h & 0x80000000) !== 0;
    high[i] = negative ? ~h >>> 0 : (h | 0x80000000) >>> 0;
    low[i] = negative ? ~l >>> 0 : l;
  }
  let order = new Uint32Array(n);
  let scratch = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  const offsets = new Uint32Array(1 << DIGIT_BITS);
  for (const [digits, shift] of [[low, 0], [low, DIGIT_BITS], [high, 0], [high, DIGIT_BITS]] as const) {
    offsets.fill(0);
    for (let i = 0; i < n; i++) offsets[(digits[i] >>> shift) & DIGIT_MASK]++;
    let start = 0;
    for (let d = 0; d < offsets.length; d++) {
      const count = offsets[d];
      offsets[d] = start;
      start += count;
    }
    for (let i = 0; i < n; i++) {
      const index = order[i];
      scratch[offsets[(digits[index] >>> shift) & DIGIT_MASK]++] = index;
    }
    [order, scratch] = [scratch, order];
  }
  return order;
}
