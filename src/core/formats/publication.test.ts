import { describe, expect, it } from 'vitest';
import { sha256Hex } from '../sha256';
import { checkPublishedBundle, followDecision, PUBLICATION_BUNDLE, PublicationError, readPublication, writePublication, type Publication } from './publication';

const bundle = new TextEncoder().encode('PK… a bundle’s bytes');
const v1 = 'a'.repeat(64);
const v2 = 'b'.repeat(64);
const published: Publication = { version: v2, parent: v1, at: '2026-12-07T10:00:00.000Z', change: 'Good after all: part-7.png', bundle: PUBLICATION_BUNDLE, sha256: sha256Hex(bundle), size: bundle.length };

/** The manifest as JSON with `change` applied to its fields. */
const manifest = (change: Record<string, unknown>) => JSON.stringify({ ...JSON.parse(writePublication(published)), ...change });

describe('a publication’s manifest', () => {
  it('reads back what was written, with or without a parent', () => {
    expect(readPublication(writePublication(published))).toEqual(published);
    expect(readPublication(writePublication({ ...published, parent: null })).parent).toBeNull();
  });

  it('refuses what is not a manifest of this format and version', () => {
    expect(() => readPublication('<html>Not found</html>')).toThrow(new PublicationError('the manifest is not JSON'));
    expect(() => readPublication('[1]')).toThrow('the manifest is not a JSON object');
    expect(() => readPublication(manifest({ format: 'pixood-bundle' }))).toThrow('format is "pixood-bundle"');
    expect(() => readPublication(manifest({ schemaVersion: 2 }))).toThrow('schema version is 2; this app reads version 1');
  });

  it('refuses a field missing or of the wrong kind, naming it', () => {
    expect(() => readPublication(manifest({ version: undefined }))).toThrow('the manifest has no "version"');
    expect(() => readPublication(manifest({ version: 'A'.repeat(64) }))).toThrow('the manifest.version is');
    expect(() => readPublication(manifest({ parent: 'unknown' }))).toThrow('manifest.parent');
    expect(() => readPublication(manifest({ sha256: v1.slice(1) }))).toThrow('not a SHA-256 in hex');
    expect(() => readPublication(manifest({ size: 0 }))).toThrow('not an integer ≥ 1');
    expect(() => readPublication(manifest({ size: 1.5 }))).toThrow('not an integer ≥ 1');
    expect(() => readPublication(manifest({ at: 'yesterday' }))).toThrow('not a date');
    expect(() => readPublication(manifest({ change: 3 }))).toThrow('not a string');
  });

  it('refuses a bundle anywhere but beside the manifest', () => {
    for (const name of ['../model.pixood', 'sub/model.pixood', '//elsewhere.example/model.pixood', 'https://elsewhere.example/m.pixood', '.pixood', 'model.zip']) {
      expect(() => readPublication(manifest({ bundle: name })), name).toThrow('not the name of a .pixood file beside the manifest');
    }
  });
});

describe('a published bundle against its manifest', () => {
  it('passes the bytes the manifest names', () => {
    expect(() => checkPublishedBundle(published, bundle)).not.toThrow();
  });

  it('refuses a bundle cut short, and one of the right size with other bytes', () => {
    expect(() => checkPublishedBundle(published, bundle.subarray(0, 10))).toThrow(`the bundle is 10 bytes, but its manifest says ${bundle.length}: it is cut short`);
    const damaged = bundle.slice();
    damaged[3] ^= 1;
    expect(() => checkPublishedBundle(published, damaged)).toThrow('SHA-256 is not the one its manifest names');
  });
});

describe('whether a follower fetches a published version', () => {
  it('leaves the version it runs alone', () => {
    expect(followDecision(published, v2, null)).toBe('current');
    expect(followDecision(published, v2, published.sha256)).toBe('current');
  });

  it('fetches another version, newer or older: the publisher decides', () => {
    expect(followDecision(published, v1, null)).toBe('fetch');
    expect(followDecision({ ...published, version: v1, parent: null }, v2, null)).toBe('fetch');
  });

  it('does not fetch again a bundle it checked and refused, but fetches the next one published', () => {
    expect(followDecision(published, v1, published.sha256)).toBe('refused');
    expect(followDecision({ ...published, sha256: 'c'.repeat(64) }, v1, published.sha256)).toBe('fetch');
  });
});
