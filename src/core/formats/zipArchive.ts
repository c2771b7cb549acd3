/**
 * Reading a zip that came from outside: the central directory is read by hand, its sizes are
 * checked against limits before anything is inflated, and every entry is checked against the
 * directory's CRC-32. fflate checks none of this, and without the CRC a damaged byte in deflated
 * data could decode to different, plausible numbers.
 */
import { unzipSync } from 'fflate';
import { crc32 } from './crc32';

export class ZipError extends Error {
  override readonly name = 'ZipError';
}

export interface ZipRules {
  /** The entries a zip may hold; any other is refused. */
  readonly entries: readonly string[];
  /** Sum of the entries' compressed sizes, in bytes. */
  readonly maxCompressedBytes: number;
  /** Sum of the entries' uncompressed sizes, in bytes. */
  readonly maxUncompressedBytes: number;
  /** Per-entry limits on the uncompressed size, in bytes. */
  readonly maxEntryBytes?: Readonly<Record<string, number>>;
}

/** Deflate cannot expand data by more than about 1032:1; a larger claim is a damaged or hostile directory. */
const MAX_DEFLATE_RATIO = 1032;

function fail(message: string): never {
  throw new ZipError(message);
}

/** The zip's entries by name, each checked against the rules and its CRC-32. */
export function readZip(bytes: Uint8Array, rules: ZipRules): Map<string, Uint8Array> {
  const directory = readDirectory(bytes);
  let compressed = 0;
  let uncompressed = 0;
  for (const [name, entry] of directory) {
    if (!rules.entries.includes(name)) fail(`the zip holds an unexpected entry "${name}" (only ${rules.entries.join(', ')} belong in it)`);
    if (entry.method !== 0 && entry.method !== 8) fail(`entry "${name}" uses compression method ${entry.method}; only stored (0) and deflate (8) are read`);
    if (entry.uncompressed > entry.compressed * MAX_DEFLATE_RATIO + 1024) {
      fail(`entry "${name}" claims ${entry.uncompressed} bytes from ${entry.compressed} compressed, more than deflate can produce`);
    }
    const max = rules.maxEntryBytes?.[name];
    if (max !== undefined && entry.uncompressed > max) fail(`${name} is ${entry.uncompressed} bytes, over the limit of ${max}`);
    compressed += entry.compressed;
    uncompressed += entry.uncompressed;
  }
  if (compressed > rules.maxCompressedBytes) fail(`the zip's entries are ${compressed} bytes compressed, over the limit of ${rules.maxCompressedBytes}`);
  if (uncompressed > rules.maxUncompressedBytes) fail(`the zip's entries are ${uncompressed} bytes uncompressed, over the limit of ${rules.maxUncompressedBytes}`);

  let files: Record<string, Uint8Array>;
  try {
    files = unzipSync(bytes);
  } catch (e) {
    return fail(`the zip is damaged (${(e as Error).message})`);
  }
  const out = new Map<string, Uint8Array>();
  for (const [name, entry] of directory) {
    const data = Object.hasOwn(files, name) ? files[name] : undefined;
    if (!data) return fail(`entry "${name}" could not be extracted`);
    if (data.length !== entry.uncompressed) fail(`entry "${name}" inflated to ${data.length} bytes, but the directory says ${entry.uncompressed}`);
    if (crc32(data) !== entry.crc) fail(`entry "${name}" fails its CRC-32 check: the zip is damaged`);
    out.set(name, data);
  }
  return out;
}
interface DirectoryEntry {
  readonly method: number;
  readonly crc: number;
  readonly compressed: number;
  readonly uncompressed: number;
}

const EOCD_SIGNATURE = 0x06054b50;
const CENTRAL_SIGNATURE = 0x02014b50;
const LOCAL_SIGNATURE = 0x04034b50;

/** The central directory, read by hand because fflate reports neither CRCs nor a bad directory clearly. */
function readDirectory(bytes: Uint8Array): Map<string, DirectoryEntry> {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.length < 22) fail(`the file is ${bytes.length} bytes, too short to be a zip`);
  // The end record sits in the last 22 bytes plus a comment of at most 65,535 bytes.
  let end = -1;
  for (let at = bytes.length - 22; at >= Math.max(0, bytes.length - 22 - 0xffff); at--) {
    if (view.getUint32(at, true) === EOCD_SIGNATURE) {
      end = at;
      break;
    }
  }
  if (end < 0) {
    // A zip starts with a local header, so that start without an end record means the end is missing.
    if (view.getUint32(0, true) === LOCAL_SIGNATURE) fail('the zip is truncated (it starts like one but has no end-of-directory record)');
    fail('the file is not a zip (no end-of-directory record)');
  }
  const count = view.getUint16(end + 10, true);
  const size = view.getUint32(end + 12, true);
  const start = view.getUint32(end + 16, true);
  if (count === 0xffff || start === 0xffffffff) fail('the zip uses ZIP64, which a bundle within the size limits never needs');
  if (start + size > end) fail(`the zip's central directory (bytes ${start}–${start + size}) runs past its end record at ${end}`);
  const entries = new Map<string, DirectoryEntry>();
  let at = start;
  for (let i = 0; i < count; i++) {
    if (at + 46 > start + size || view.getUint32(at, true) !== CENTRAL_SIGNATURE) fail(`the zip's directory entry ${i} is damaged`);
    const method = view.getUint16(at + 10, true);
    const crc = view.getUint32(at + 16, true);
    const compressed = view.getUint32(at + 20, true);
    const uncompressed = view.getUint32(at + 24, true);
    const nameLength = view.getUint16(at + 28, true);
    const next = at + 46 + nameLength + view.getUint16(at + 30, true) + view.getUint16(at + 32, true);
    const local = view.getUint32(at + 42, true);
    if (next > start + size) fail(`the zip's directory entry ${i} runs past the directory`);
    let name = '';
    try {
      name = new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(at + 46, at + 46 + nameLength));
    } catch {
      fail(`the zip's directory entry ${i} has a name that is not UTF-8`);
    }
    if (local + 30 > start || view.getUint32(local, true) !== LOCAL_SIGNATURE) fail(`entry "${name}": its local header is missing or damaged`);
    const dataStart = local + 30 + view.getUint16(local + 26, true) + view.getUint16(local + 28, true);
    if (dataStart + compressed > start) fail(`entry "${name}": its ${compressed} compressed bytes run past the start of the directory`);
    if (entries.has(name)) fail(`the zip holds "${name}" more than once`);
    entries.set(name, { method, crc, compressed, uncompressed });
    at = next;
  }
  if (at !== start + size) fail(`the zip's directory is ${size} bytes, but its ${count} entries take ${at - start}`);
  return entries;
}
