/**
 * Sorts `keys` ascending in place and moves `values` along with them, stably: a
 * least-significant-digit radix sort on two 16-bit digits. O(n) time and 2n words of scratch,
 * where a comparison sort through a callback would dominate the cost for megapixel images.
 */
export function sortByKey(keys: Uint32Array, values: Uint32Array): void {
  if (values.length !== keys.length) throw new RangeError(`sortByKey needs one value per key, got ${values.length} for ${keys.length}`);
  const scratchKeys = new Uint32Array(keys.length);
  const scratchValues = new Uint32Array(keys.length);
  scatterByDigit(keys, values, scratchKeys, scratchValues, 0);
  scatterByDigit(scratchKeys, scratchValues, keys, values, 16);
}

const DIGITS = 1 << 16;

function scatterByDigit(fromKeys: Uint32Array, fromValues: Uint32Array, toKeys: Uint32Array, toValues: Uint32Array, shift: number): void {
  const next = new Uint32Array(DIGITS);
  for (let i = 0; i < fromKeys.length; i++) next[(fromKeys[i] >>> shift) & 0xffff]++;
  let start = 0;
  for (let d = 0; d < DIGITS; d++) {
    const count = next[d];
    next[d] = start;
    start += count;
  }
  for (let i = 0; i < fromKeys.length; i++) {
    const at = next[(fromKeys[i] >>> shift) & 0xffff]++;
    toKeys[at] = fromKeys[i];
    toValues[at] = fromValues[i];
  }
}
