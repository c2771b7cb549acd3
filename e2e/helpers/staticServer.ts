/**
 * A plain static file server, as a person would put a published model on: the files of one
 * folder by name, on this machine at a port the system picks (never the app's own), with the
 * CORS header that lets the app's page read them. It counts what was asked for.
 */
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';

export interface StaticServer {
  /** "http://127.0.0.1:<port>", without a trailing slash. */
  readonly url: string;
  /** The paths asked for, in order. */
  readonly requests: readonly string[];
  close(): Promise<void>;
}

export async function serveFolder(dir: string): Promise<StaticServer> {
  const requests: string[] = [];
  const server = createServer((request, response) => {
    const path = new URL(request.url ?? '/', 'http://server').pathname;
    requests.push(path);
    const headers = { 'Access-Control-Allow-Origin': '*', 'Cache-Control': 'no-store' };
    readFile(join(dir, basename(decodeURIComponent(path)))).then(
      (body) => response.writeHead(200, { ...headers, 'Content-Type': path.endsWith('.json') ? 'application/json' : 'application/octet-stream' }).end(body),
      () => response.writeHead(404, headers).end('Not found'),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('the server has no port');
  return { url: `http://127.0.0.1:${address.port}`, requests, close: () => new Promise((resolve) => server.close(() => resolve())) };
}
