/**
 * Folders a person would pick, in a headless browser that shows no picker: the folder picker
 * answers with a folder of the origin's private file system named after the picker's id (the
 * watched folder is "watched-folder", the publishing folder "publish-folder"), and the test
 * reads and writes its files as a line camera or a person copying files would.
 */
import type { BrowserContext, Page } from '@playwright/test';

export async function pickFoldersFromOpfs(context: BrowserContext): Promise<void> {
  await context.addInitScript(() => {
    const showDirectoryPicker = async ({ id }: { id: string }) => (await navigator.storage.getDirectory()).getDirectoryHandle(id, { create: true });
    Object.assign(window, { showDirectoryPicker });
  });
}

/** Writes `bytes` as `name` into the picked folder `folder`. */
export async function writeOpfsFile(page: Page, folder: string, name: string, bytes: Uint8Array): Promise<void> {
  await page.evaluate(
    async ({ folder, name, bytes }) => {
      const dir = await (await navigator.storage.getDirectory()).getDirectoryHandle(folder, { create: true });
      const writable = await (await dir.getFileHandle(name, { create: true })).createWritable();
      await writable.write(new Uint8Array(bytes));
      await writable.close();
    },
    { folder, name, bytes: [...bytes] },
  );
}

/** The bytes of `name` in the picked folder `folder`. */
export async function readOpfsFile(page: Page, folder: string, name: string): Promise<Uint8Array> {
  const bytes = await page.evaluate(
    async ({ folder, name }) => {
      const dir = await (await navigator.storage.getDirectory()).getDirectoryHandle(folder);
      return [...new Uint8Array(await (await (await dir.getFileHandle(name)).getFile()).arrayBuffer())];
    },
    { folder, name },
  );
  return Uint8Array.from(bytes);
}
