import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PUBLICATION_MANIFEST } from '../../core/formats/publication';
import { folderSource, manifestUrl, urlSource, type FollowedFolder } from './modelFollowing';

describe('the manifest URL a station follows', () => {
  it('takes an http or https address, and says why it refuses anything else', () => {
    expect(manifestUrl(' https://line.example/models/published-model.json ')).toEqual(new URL('https://line.example/models/published-model.json'));
    expect(manifestUrl('http://127.0.0.1:8080/published-model.json')).toBeInstanceOf(URL);
    expect(manifestUrl('line.example/published-model.json')).toBe(`“line.example/published-model.json” is not a web address: give the manifest's full URL (http://… or https://…/${PUBLICATION_MANIFEST}).`);
    expect(manifestUrl('file:///srv/published-model.json')).toBe('“file:///srv/published-model.json” is not an http or https address.');
  });
});

describe('a publication on a web server', () => {
  let server: Server;
  let base = '';
  const asked: { path: string; cache: string | undefined }[] = [];
  beforeAll(async () => {
    server = createServer((request, response) => {
      asked.push({ path: request.url ?? '', cache: request.headers['cache-control'] });
      if (request.url === '/line/published-model.json') response.end('{"format":"pixood-publication"}');
      else if (request.url === '/line/published-model.pixood') response.end(Buffer.from([1, 2, 3]));
      else response.writeHead(404, 'Not Found').end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('reads the manifest and the bundle beside it, never from a cache', async () => {
    const source = urlSource(new URL(`${base}/line/published-model.json`));
    expect(source.label).toBe(`${base}/line/published-model.json`);
    expect(await source.manifest()).toBe('{"format":"pixood-publication"}');
    expect([...(await source.bundle('published-model.pixood'))]).toEqual([1, 2, 3]);
    expect(asked.slice(-2).map((a) => a.path)).toEqual(['/line/published-model.json', '/line/published-model.pixood']);
    expect(asked.slice(-2).every((a) => a.cache === 'no-cache'), 'no-store asks the server afresh').toBe(true);
  });

  it('says what the server answered, or that it could not be reached', async () => {
    await expect(urlSource(new URL(`${base}/gone/published-model.json`)).manifest()).rejects.toThrow('the manifest could not be fetched: the server answered HTTP 404 Not Found');
    await expect(urlSource(new URL('http://127.0.0.1:1/published-model.json')).manifest()).rejects.toThrow(/^the manifest could not be fetched \(.+\): the server is unreachable, or does not let this page read it$/);
  });
});

describe('a publication in a folder', () => {
  const folder = (files: Record<string, string>): FollowedFolder => ({
    name: 'shared-models',
    getFileHandle: async (name: string) => {
      if (!(name in files)) throw new DOMException(`${name} not found`, 'NotFoundError');
      return { getFile: async () => new File([files[name]], name) } as FileSystemFileHandle;
    },
  });

  it('reads the files by name, afresh', async () => {
    const source = folderSource(folder({ [PUBLICATION_MANIFEST]: '{}', 'published-model.pixood': 'PK' }));
    expect(source.label).toBe('the folder shared-models');
    expect(await source.manifest()).toBe('{}');
    expect(new TextDecoder().decode(await source.bundle('published-model.pixood'))).toBe('PK');
  });

  it('says when nothing is published there yet', async () => {
    await expect(folderSource(folder({})).manifest()).rejects.toThrow(`the folder shared-models has no ${PUBLICATION_MANIFEST}: nothing is published there yet`);
  });
});
