/**
 * A watched folder as a source of parts: the folder a line camera writes into is listed every
 * `intervalMs`; each image file that arrives is handed on once, oldest first (by its time, then
 * its name), and only when its size and time held still between two listings, so a file still
 * being written is never taken half-written. Files already there when the watch starts are left
 * alone; `seen` names files handed on before (a resumed shift's).
 */

/** Image files by their name; the inspection says why one that is not really an image is refused. */
export const IMAGE_FILE = /\.(png|jpe?g|bmp|webp|gif)$/i;

/** What the watch needs of a directory handle (TypeScript's DOM library lacks its iteration). */
export interface ListableDirectory {
  readonly name: string;
  values(): AsyncIterable<FileSystemHandle>;
}

export interface FolderWatch {
  /** Files there when the watch began, left alone. */
  readonly existing: Promise<number>;
  /** Ends the watch; `done` settles once the part in hand is finished. */
  stop(): void;
  readonly done: Promise<void>;
}

interface Listed {
  readonly file: File;
  readonly stamp: string;
}

/**
 * `take` gets each new file in order and says whether it took it; a file not taken (the station
 * busy) is offered again on the next listing, so none is skipped.
 */
export function watchFolder(folder: ListableDirectory, take: (file: File) => Promise<boolean>, { intervalMs = 1000, seen = new Set<string>() }: { intervalMs?: number; seen?: Set<string> } = {}): FolderWatch {
  let stopped = false;
  let wake: (() => void) | null = null;
  let reportExisting: (count: number) => void = () => {};
  const existing = new Promise<number>((resolve) => (reportExisting = resolve));
  const pause = () =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, intervalMs);
      wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });

  const run = async () => {
    let before = await listImages(folder);
    let already = 0;
    for (const name of before.keys()) {
      if (!seen.has(name)) already++;
      seen.add(name);
    }
    reportExisting(already);
    while (!stopped) {
      await pause();
      if (stopped) break;
      const now = await listImages(folder);
      const ready = [...now.entries()].filter(([name, listed]) => !seen.has(name) && before.get(name)?.stamp === listed.stamp).map(([, listed]) => listed.file);
      ready.sort((a, b) => a.lastModified - b.lastModified || a.name.localeCompare(b.name));
      for (const file of ready) {
        if (stopped || !(await take(file))) break;
        seen.add(file.name);
      }
      before = now;
    }
  };
  const done = run().finally(() => reportExisting(0));
  return {
    existing,
    stop() {
      stopped = true;
      wake?.();
    },
    done,
  };
}

async function listImages(folder: ListableDirectory): Promise<Map<string, Listed>> {
  const listed = new Map<string, Listed>();
  for await (const handle of folder.values()) {
    if (handle.kind !== 'file' || !IMAGE_FILE.test(handle.name)) continue;
    const file = await (handle as FileSystemFileHandle).getFile();
    listed.set(handle.name, { file, stamp: `${file.size}:${file.lastModified}` });
  }
  return listed;
}
