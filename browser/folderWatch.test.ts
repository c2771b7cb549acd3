/**
 * The watched folder on a real directory handle (the origin's private file system, as a line
 * camera's folder would be one the person picked): files there at the start are left alone, each
 * new image file is handed on once in arrival order, other files never, and a file the station
 * could not take is offered again rather than skipped.
 */
import { afterEach, expect, test } from 'vitest';
import { watchFolder, type ListableDirectory } from '../src/app/station/folderWatch';

const FOLDER = `watch-test-${Date.now()}`;

async function folder(): Promise<FileSystemDirectoryHandle> {
  return (await navigator.storage.getDirectory()).getDirectoryHandle(FOLDER, { create: true });
}

async function write(dir: FileSystemDirectoryHandle, name: string, bytes = 16): Promise<void> {
  const writable = await (await dir.getFileHandle(name, { create: true })).createWritable();
  await writable.write(new Uint8Array(bytes));
  await writable.close();
}

const until = async (check: () => boolean, ms = 10_000) => {
  const end = performance.now() + ms;
  while (!check()) {
    if (performance.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
};

afterEach(async () => {
  await (await navigator.storage.getDirectory()).removeEntry(FOLDER, { recursive: true });
});

test('new image files are taken once each, oldest first; files there before and non-images never', async () => {
  const dir = await folder();
  await write(dir, 'before.png');
  const taken: string[] = [];
  const watch = watchFolder(dir as unknown as ListableDirectory, async (file) => (taken.push(file.name), true), { intervalMs: 50 });
  expect(await watch.existing).toBe(1);
  await write(dir, 'b-first.png');
  await new Promise((r) => setTimeout(r, 30));
  await write(dir, 'a-second.jpg');
  await write(dir, 'notes.txt');
  await until(() => taken.length >= 2);
  await new Promise((r) => setTimeout(r, 300));
  expect(taken, 'arrival order, not name order').toEqual(['b-first.png', 'a-second.jpg']);
  await write(dir, 'c-third.png');
  await until(() => taken.length >= 3);
  await new Promise((r) => setTimeout(r, 300));
  expect(taken).toEqual(['b-first.png', 'a-second.jpg', 'c-third.png']);
  watch.stop();
  await watch.done;
});

test('a file the station could not take is offered again; files a resumed shift decided are not', async () => {
  const dir = await folder();
  const offered: string[] = [];
  let busy = 2;
  const watch = watchFolder(dir as unknown as ListableDirectory, async (file) => (offered.push(file.name), busy-- <= 0), { intervalMs: 50, seen: new Set(['old.png']) });
  expect(await watch.existing).toBe(0);
  await write(dir, 'old.png');
  await write(dir, 'new.png');
  await until(() => offered.filter((n) => n === 'new.png').length >= 3);
  await new Promise((r) => setTimeout(r, 300));
  expect(offered, 'twice refused, then taken, then never again').toEqual(['new.png', 'new.png', 'new.png']);
  watch.stop();
  await watch.done;
});
