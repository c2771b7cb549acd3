/**
 * A published model: a `.pixood` bundle under a fixed name in a folder, beside a small manifest
 * that says which version it is and how to know the bundle arrived whole. The folder may be
 * served by any static file server; stations that follow it read the manifest, and fetch the
 * bundle only when the manifest names a version other than the one they run.
 *
 * The manifest is written after the bundle and carries the bundle's size and SHA-256, so a
 * follower that reads a manifest and a bundle from two different publications (or a bundle cut
 * short) finds out before it uses either.
 */
import { sha256Hex } from '../sha256';
import { FieldError, integer, object, string, type Json } from './jsonFields';

export const PUBLICATION_FORMAT = 'pixood-publication';
export const PUBLICATION_SCHEMA_VERSION = 1;
/** The manifest's file name in a published folder (a URL to follow points at it). */
export const PUBLICATION_MANIFEST = 'published-model.json';
/** The bundle's file name in a published folder. */
export const PUBLICATION_BUNDLE = 'published-model.pixood';

/** A SHA-256 digest as 64 lowercase hex digits. */
export type Sha256Hex = string;

export interface Publication {
  /** The published model's content SHA-256 (modelContentSha256): the same on every machine, and what the audit log names. */
  readonly version: Sha256Hex;
  /** The content SHA-256 of the version it was made from; null for a model trained anew. */
  readonly parent: Sha256Hex | null;
  /** When the version was made (ISO 8601). */
  readonly at: string;
  /** What changed, in words. */
  readonly change: string;
  /** The bundle's file name, beside the manifest. */
  readonly bundle: string;
  /** The bundle file's SHA-256 and size in bytes. */
  readonly sha256: Sha256Hex;
  readonly size: number;
}

export class PublicationError extends Error {
  override readonly name = 'PublicationError';
}

const SHA256 = /^[0-9a-f]{64}$/;
/** A plain file name: a manifest must not send a follower anywhere but beside itself. */
const BUNDLE_NAME = /^[\w-][\w.-]*\.pixood$/;
const WHERE = 'the manifest';

export function writePublication(publication: Publication): string {
  return `${JSON.stringify({ format: PUBLICATION_FORMAT, schemaVersion: PUBLICATION_SCHEMA_VERSION, ...publication }, null, 2)}\n`;
}

/** The manifest's text, checked field by field; a PublicationError says what is wrong. */
export function readPublication(text: string): Publication {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new PublicationError('the manifest is not JSON');
  }
  try {
    const m = object(parsed, WHERE);
    if (m.format !== PUBLICATION_FORMAT) throw new FieldError(`the manifest's format is ${JSON.stringify(m.format)}, not "${PUBLICATION_FORMAT}"`);
    if (m.schemaVersion !== PUBLICATION_SCHEMA_VERSION) throw new FieldError(`the manifest's schema version is ${JSON.stringify(m.schemaVersion)}; this app reads version ${PUBLICATION_SCHEMA_VERSION}`);
    const bundle = string(m, 'bundle', WHERE);
    if (!BUNDLE_NAME.test(bundle)) throw new FieldError(`${WHERE}.bundle is ${JSON.stringify(bundle)}, not the name of a .pixood file beside the manifest`);
    const at = string(m, 'at', WHERE);
    if (Number.isNaN(Date.parse(at))) throw new FieldError(`${WHERE}.at is ${JSON.stringify(at)}, not a date`);
    return {
      version: digest(m, 'version'),
      parent: m.parent === null ? null : digest(m, 'parent'),
      at,
      change: string(m, 'change', WHERE),
      bundle,
      sha256: digest(m, 'sha256'),
      size: integer(m, 'size', WHERE, 1),
    };
  } catch (e) {
    if (e instanceof FieldError) throw new PublicationError(e.message);
    throw e;
  }
}

function digest(m: Json, key: string): Sha256Hex {
  const value = string(m, key, WHERE);
  if (!SHA256.test(value)) throw new FieldError(`${WHERE}.${key} is ${JSON.stringify(value)}, not a SHA-256 in hex`);
  return value;
}

/** Throws unless `bytes` are the bundle the manifest names: its size, then its SHA-256. */
export function checkPublishedBundle(publication: Publication, bytes: Uint8Array): void {
  if (bytes.length !== publication.size) {
    throw new PublicationError(`the bundle is ${bytes.length.toLocaleString('en')} bytes, but its manifest says ${publication.size.toLocaleString('en')}: it is cut short, or a newer one is being published`);
  }
  if (sha256Hex(bytes) !== publication.sha256) throw new PublicationError('the bundle’s SHA-256 is not the one its manifest names: it is damaged, or a newer one is being published');
}

/**
 * What a follower does with a manifest: nothing when it names the version running ('current'),
 * nothing again when its bundle was checked before and refused ('refused': the same bytes would
 * be refused again), else fetch the bundle ('fetch'). A version other than the one running is
 * taken whether it is newer or older: the publisher decides, and publishing a rolled-back
 * version rolls its followers back.
 */
export function followDecision(publication: Publication, running: Sha256Hex, refusedBundle: Sha256Hex | null): 'current' | 'refused' | 'fetch' {
  if (publication.version === running) return 'current';
  if (publication.sha256 === refusedBundle) return 'refused';
  return 'fetch';
}
