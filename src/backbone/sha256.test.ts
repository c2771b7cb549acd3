import { expect, it } from 'vitest';
import { sha256Hex } from './sha256';

it('is the SHA-256 of the bytes, lowercase hex (FIPS 180-2 test vector "abc")', async () => {
  expect(await sha256Hex(new TextEncoder().encode('abc'))).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
});
