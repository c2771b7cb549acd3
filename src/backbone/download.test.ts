import { afterEach, describe, expect, it, vi } from 'vitest';
import { checkModelAddress, download, type ByteProgress } from './download';
import { ModelError } from './errors';

/** A response streaming `chunks`, with the given headers. */
function streamed(chunks: Uint8Array[], headers: Record<string, string>, status = 200): Response {
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      for (const c of chunks) controller.enqueue(c);
      controller.close();
    },
  });
  return new Response(body, { status, headers });
}

const chunks = (sizes: number[]) => sizes.map((n, k) => new Uint8Array(n).fill(k + 1));

afterEach(() => vi.unstubAllGlobals());

describe('download', () => {
  it('reports monotonic progress that ends at the total, and returns the bytes', async () => {
    vi.stubGlobal('fetch', async () => streamed(chunks([300, 300, 400]), { 'Content-Length': '1000' }));
    const events: ByteProgress[] = [];
    const bytes = await download('https://example.test/m.onnx', { onProgress: (p) => events.push(p) });
    expect(bytes.length).toBe(1000);
    expect([bytes[0], bytes[300], bytes[999]]).toEqual([1, 2, 3]);
    expect(events).toEqual([
      { loaded: 0, total: 1000 },
      { loaded: 300, total: 1000 },
      { loaded: 600, total: 1000 },
      { loaded: 1000, total: 1000 },
    ]);
  });

  it('without a Content-Length, ends with the received size as the total', async () => {
    vi.stubGlobal('fetch', async () => streamed(chunks([10, 20]), {}));
    const events: ByteProgress[] = [];
    await download('https://example.test/m.onnx', { onProgress: (p) => events.push(p) });
    expect(events[0]).toEqual({ loaded: 0, total: null });
    expect(events.at(-1)).toEqual({ loaded: 30, total: 30 });
  });

  it('turns HTTP errors, network errors and short bodies into download-failed', async () => {
    const code = (p: Promise<unknown>) => p.then(() => null, (e: unknown) => (e instanceof ModelError ? e.code : e));
    vi.stubGlobal('fetch', async () => new Response('no', { status: 404, statusText: 'Not Found' }));
    await expect(download('https://example.test/missing.onnx')).rejects.toThrow(/404 Not Found/);
    vi.stubGlobal('fetch', async () => Promise.reject(new TypeError('Failed to fetch')));
    expect(await code(download('https://example.test/m.onnx'))).toBe('download-failed');
    vi.stubGlobal('fetch', async () => streamed(chunks([10]), { 'Content-Length': '50' }));
    expect(await code(download('https://example.test/m.onnx'))).toBe('download-failed');
  });

  it('rejects with the abort reason when cancelled', async () => {
    const controller = new AbortController();
    const reason = new Error('cancelled by the person');
    vi.stubGlobal('fetch', async (_url: string, init: RequestInit) => {
      controller.abort(reason);
      throw init.signal?.reason;
    });
    await expect(download('https://example.test/m.onnx', { signal: controller.signal })).rejects.toBe(reason);
  });
});

describe('checkModelAddress', () => {
  it.each(['https://huggingface.co/m.onnx', 'http://localhost:8000/m.onnx', 'http://127.0.0.1/m.onnx'])('accepts %s', (url) => {
    expect(() => checkModelAddress(url)).not.toThrow();
  });

  it.each([
    ['http://example.com/m.onnx', /only over https.*uses http\./],
    ['ftp://example.com/m.onnx', /uses ftp\./],
    ['http://[::1]:9/m.onnx', /uses http\./],
    ['file:///home/m.onnx', /uses file\./],
    ['not a url', /is not a web address/],
  ])('refuses %s, saying why', (url, message) => {
    let error: unknown = null;
    try {
      checkModelAddress(url);
    } catch (e) {
      error = e;
    }
    expect(error, `checkModelAddress(${url}) should throw`).toBeInstanceOf(ModelError);
    expect((error as ModelError).code).toBe('download-failed');
    expect((error as ModelError).message).toMatch(message);
  });
});
