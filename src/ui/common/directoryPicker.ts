/**
 * The File System Access API's folder picker, which Chromium-based desktop browsers have and
 * others lack. `id` lets the browser open each use (the watched folder, the publishing folder,
 * the followed folder) where that use was last pointed.
 */
type DirectoryPicker = (options: { readonly id: string; readonly mode: 'read' | 'readwrite' }) => Promise<FileSystemDirectoryHandle>;

const picker = (): DirectoryPicker | null => (window as unknown as { showDirectoryPicker?: DirectoryPicker }).showDirectoryPicker ?? null;

export const canPickDirectory = (): boolean => picker() !== null;

/** The folder the person picks; null when they cancel or the browser has no picker. Other failures throw. */
export async function pickDirectory(id: string, mode: 'read' | 'readwrite'): Promise<FileSystemDirectoryHandle | null> {
  const pick = picker();
  if (!pick) return null;
  try {
    return await pick.call(window, { id, mode });
  } catch (e) {
    if (e instanceof DOMException && e.name === 'AbortError') return null;
    throw e;
  }
}

/** What to say where the browser has no folder picker: why, and what works instead. */
export const NO_DIRECTORY_PICKER = 'it lacks the File System Access API (Chrome, Edge and other Chromium-based browsers on a desktop have it)';
