import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createRng } from './rng';
import { sha256Hex } from './sha256';

const nodeSha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

describe('sha256Hex', () => {
  it('gives the standard digests of the FIPS 180-4 examples', () => {
    const text = (s: string) => new TextEncoder().encode(s);
    expect(sha256Hex(text(''))).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(sha256Hex(text('abc'))).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(sha256Hex(text('abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq'))).toBe('248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1');
  });

  it('agrees with node:crypto at every length around the block and padding boundaries', () => {
    const rng = createRng(11);
    const source = Uint8Array.from({ length: 300 }, () => rng.int(256));
    for (let n = 0; n <= 200; n++) expect(sha256Hex(source.subarray(0, n)), `length ${n}`).toBe(nodeSha256(source.subarray(0, n)));
    // A view into a larger buffer, at an offset that is not a multiple of 4.
    expect(sha256Hex(source.subarray(3, 250))).toBe(nodeSha256(source.subarray(3, 250)));
  });

  it('hashes a megabyte the same as node:crypto', () => {
    const rng = createRng(12);
    const big = Uint8Array.from({ length: 1 << 20 }, () => rng.int(256));
    const started = performance.now();
    const digest = sha256Hex(big);
    console.log(`sha256: 1 MiB in ${(performance.now() - started).toFixed(1)} ms`);
    expect(digest).toBe(nodeSha256(big));
  });
});
