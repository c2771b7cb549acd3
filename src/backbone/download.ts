/** Fetches a model file as a stream, reporting bytes as they arrive. */
import { ModelError } from './errors';

export interface ByteProgress {
  /** Bytes received so far. */
  readonly loaded: number;
  /** Bytes expected (Content-Length), or null when the server does not say. */
  readonly total: number | null;
}

export interface DownloadOptions {
  readonly signal?: AbortSignal;
  readonly onProgress?: (progress: ByteProgress) => void;
}

/** Without a known total, report every 4 MiB; with one, every 1% (a 1 GB model: 100 messages, not 15 000). */
const UNKNOWN_TOTAL_STEP = 4 * 1024 * 1024;

/**
 * The whole file. Progress is monotonic and its last report is { loaded: total, total }.
 * An abort rejects with the signal's reason; network and HTTP failures with a 'download-failed' ModelError.
 */
export async function download(url: string, { signal, onProgress }: DownloadOptions = {}): Promise<Uint8Array> {
  checkModelAddress(url);
  let response: Response;
  try {
    response = await fetch(url, { signal });
  } catch (error) {
    if (signal?.aborted) throw signal.reason;
    throw new ModelError('download-failed', `Could not download ${url}: ${error instanceof Error ? error.message : String(error)}. Check the address and the connection; models already stored work offline.`);
  }
  if (!response.ok) {
    const status = [response.status, response.statusText].filter(Boolean).join(' ');
    throw new ModelError('download-failed', `Could not download ${url}: the server answered ${status}. Check the address.`);
  }
  const declared = Number(response.headers.get('Content-Length'));
  // A compressed response declares its compressed length, and the stream yields more: then the total is unknown.
  const compressed = (response.headers.get('Content-Encoding') ?? 'identity') !== 'identity';
  const total = Number.isSafeInteger(declared) && declared > 0 && !compressed ? declared : null;
  const step = total === null ? UNKNOWN_TOTAL_STEP : Math.max(1, Math.floor(total / 100));

  const chunks: Uint8Array[] = [];
  let loaded = 0;
  let reported = 0;
  onProgress?.({ loaded: 0, total });
  const reader = (response.body ?? new Blob([]).stream()).getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      loaded += value.length;
      if (loaded - reported >= step && !(total !== null && loaded >= total)) {
        reported = loaded;
        onProgress?.({ loaded, total });
      }
    }
  } catch (error) {
    if (signal?.aborted) throw signal.reason;
    throw new ModelError('download-failed', `The download of ${url} broke off after ${loaded} bytes: ${error instanceof Error ? error.message : String(error)}.`);
  }
  if (total !== null && loaded !== total) {
    throw new ModelError('download-failed', `The download of ${url} ended after ${loaded} of ${total} bytes. Try again.`);
  }
  onProgress?.({ loaded, total: loaded });
  return concat(chunks, loaded);
}

function concat(chunks: readonly Uint8Array[], length: number): Uint8Array {
  const out = new Uint8Array(length);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.length;
  }
  return out;
}

// The hosts the Content Security Policy's connect-src names; CSP sources cannot name an IPv6 address.
const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1']);

/**
 * Models come over https, from the app's own server, or from this machine: a plain-http
 * address could be tampered with on the way. The app's Content Security Policy blocks the
 * rest anyway; this says why in words instead of the browser's bare "Failed to fetch".
 */
export function checkModelAddress(url: string): void {
  let address: URL;
  try {
    address = new URL(url, globalThis.location?.href);
  } catch {
    throw new ModelError('download-failed', `“${url}” is not a web address.`);
  }
  const own = globalThis.location !== undefined && address.origin === globalThis.location.origin;
  const loopback = address.protocol === 'http:' && LOOPBACK_HOSTS.has(address.hostname);
  if (address.protocol === 'https:' || own || loopback) return;
  throw new ModelError('download-failed', `Models are downloaded only over https (or from this machine): ${url} uses ${address.protocol.replace(/:$/, '')}. Use an https address.`);
}
