/**
 * SHA-256 (FIPS 180-4), synchronous and pure, for checksums that src/core must check itself:
 * WebCrypto's digest is asynchronous and outside the core. Tens of megabytes a second: enough
 * for a backbone carried inside a model bundle.
 */

const PRIMES = (() => {
  const primes: number[] = [];
  for (let n = 2; primes.length < 64; n++) if (primes.every((p) => n % p !== 0)) primes.push(n);
  return primes;
})();

/** The first 32 bits of the fractional part of a root: how the standard defines its constants. */
const fractionBits = (root: number) => Math.floor((root - Math.floor(root)) * 2 ** 32) >>> 0;

const ROUND_CONSTANTS = Uint32Array.from(PRIMES, (p) => fractionBits(Math.cbrt(p)));
const INITIAL_STATE = Uint32Array.from(PRIMES.slice(0, 8), (p) => fractionBits(Math.sqrt(p)));

const rotr = (x: number, n: number) => (x >>> n) | (x << (32 - n));

/** The digest of `bytes` as 64 lowercase hex digits. */
export function sha256Hex(bytes: Uint8Array): string {
  const state = INITIAL_STATE.slice();
  const schedule = new Uint32Array(64);

  const compress = (view: DataView, at: number) => {
    for (let i = 0; i < 16; i++) schedule[i] = view.getUint32(at + 4 * i);
    for (let i = 16; i < 64; i++) {
      const a = schedule[i - 15];
      const b = schedule[i - 2];
      schedule[i] = schedule[i - 16] + (rotr(a, 7) ^ rotr(a, 18) ^ (a >>> 3)) + schedule[i - 7] + (rotr(b, 17) ^ rotr(b, 19) ^ (b >>> 10));
    }
    let [a, b, c, d, e, f, g, h] = state;
    for (let i = 0; i < 64; i++) {
      const t1 = (h + (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) + ((e & f) ^ (~e & g)) + ROUND_CONSTANTS[i] + schedule[i]) | 0;
      const t2 = ((rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)) + ((a & b) ^ (a & c) ^ (b & c))) | 0;
      h = g;
      g = f;
      f = e;
      e = (d + t1) | 0;
      d = c;
      c = b;
      b = a;
      a = (t1 + t2) | 0;
    }
    // Uint32Array stores wrap modulo 2³², as the standard's additions do.
    state[0] += a;
    state[1] += b;
    state[2] += c;
    state[3] += d;
    state[4] += e;
    state[5] += f;
    state[6] += g;
    state[7] += h;
  };

  const whole = bytes.length - (bytes.length % 64);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let at = 0; at < whole; at += 64) compress(view, at);

  // The rest, a 1 bit, zeros, and the message length in bits as a 64-bit big-endian number.
  const rest = bytes.length - whole;
  const tail = new Uint8Array(rest + 9 <= 64 ? 64 : 128);
  tail.set(bytes.subarray(whole));
  tail[rest] = 0x80;
  const tailView = new DataView(tail.buffer);
  const bits = bytes.length * 8;
  tailView.setUint32(tail.length - 8, Math.floor(bits / 2 ** 32));
  tailView.setUint32(tail.length - 4, bits >>> 0);
  for (let at = 0; at < tail.length; at += 64) compress(tailView, at);

  return Array.from(state, (word) => word.toString(16).padStart(8, '0')).join('');
}
