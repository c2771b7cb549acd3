/**
 * Order-preserving keys for float32 scores: a < b as numbers exactly when key(a) < key(b) as
 * unsigned integers, and equal scores (+0 and −0 included) get equal keys. Counting per key is
 * therefore counting per distinct score, with ties exact and no binning.
 */

const SIGN = 0x80000000;

/**
 * Writes the key of every score of `scores` into `keys` (same length).
 * @throws RangeError on NaN, which has no place in a ranking.
 */
export function scoreKeys(scores: Float32Array, keys: Uint32Array): void {
  if (keys.length !== scores.length) throw new RangeError(`scoreKeys needs ${scores.length} keys, got ${keys.length}`);
  const bits = new Uint32Array(scores.buffer, scores.byteOffset, scores.length);
  for (let i = 0; i < bits.length; i++) {
    if (Number.isNaN(scores[i])) throw new RangeError(`score ${i} is NaN`);
    const b = bits[i] === SIGN ? 0 : bits[i];
    // Positive floats order like their bits; negative ones order backwards, so flip them all.
    keys[i] = (b & SIGN ? ~b : b | SIGN) >>> 0;
  }
}

const scratchBits = new Uint32Array(1);
const scratchScore = new Float32Array(scratchBits.buffer);

/** The float32 score whose key is `key` (−0 comes back as +0). */
export function keyScore(key: number): number {
  scratchBits[0] = key & SIGN ? key ^ SIGN : ~key;
  return scratchScore[0];
}
