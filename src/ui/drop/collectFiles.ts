/**
 * Files from a drop or a file picker, with their paths inside any dropped folder. Folders are
 * walked with the File and Directory Entries API (webkitGetAsEntry), which every current
 * browser supports for drops; picked folders carry webkitRelativePath.
 */
import type { IncomingFile } from '../../state/intake/incoming';

/**
 * Must be called during the drop event: the browser empties the DataTransfer when the event
 * handler returns, so the entries are taken at once and read afterwards.
 */
export function droppedFiles(transfer: DataTransfer): Promise<IncomingFile[]> {
  const entries: FileSystemEntry[] = [];
  const loose: File[] = [];
  for (const item of Array.from(transfer.items)) {
    if (item.kind !== 'file') continue;
    const entry = item.webkitGetAsEntry?.();
    if (entry) entries.push(entry);
    else {
      const file = item.getAsFile();
      if (file) loose.push(file);
    }
  }
  return (async () => {
    const walked = await Promise.all(entries.map(walk));
    return [...walked.flat(), ...loose.map((file) => ({ file, path: file.name }))];
  })();
}

async function walk(entry: FileSystemEntry): Promise<IncomingFile[]> {
  const path = entry.fullPath.replace(/^\//, '');
  if (entry.isFile) {
    const file = await new Promise<File>((resolve, reject) => (entry as FileSystemFileEntry).file(resolve, reject));
    return [{ file, path }];
  }
  const reader = (entry as FileSystemDirectoryEntry).createReader();
  const children: FileSystemEntry[] = [];
  // readEntries returns the folder in batches (100 in Chromium) until it returns none.
  for (;;) {
    const batch = await new Promise<FileSystemEntry[]>((resolve, reject) => reader.readEntries(resolve, reject));
    if (batch.length === 0) break;
    children.push(...batch);
  }
  const nested = await Promise.all(children.map(walk));
  return nested.flat().sort((a, b) => a.path.localeCompare(b.path));
}

/** Files from an <input type="file">, with their folder paths when a folder was picked. */
export function pickedFiles(list: FileList | null): IncomingFile[] {
  return Array.from(list ?? [])
    .map((file) => ({ file, path: file.webkitRelativePath || file.name }))
    .sort((a, b) => a.path.localeCompare(b.path));
}

/** Hidden files a file manager leaves in folders (.DS_Store, Thumbs.db, ._ resource forks) are not the person's images. */
export function withoutSystemFiles(files: IncomingFile[]): IncomingFile[] {
  return files.filter(({ path }) => {
    const name = path.slice(path.lastIndexOf('/') + 1);
    return !name.startsWith('.') && name !== 'Thumbs.db' && name !== 'desktop.ini';
  });
}
