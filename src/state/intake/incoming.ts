/** Files as they arrive from a drop or a file picker, and the ones that were turned away. */

export interface IncomingFile {
  readonly file: File;
  /** Its path inside what was dropped or picked, '/'-separated ("bottle/train/good/000.png"); the file name when alone. */
  readonly path: string;
}

/** A file that was skipped, and why, in words a person can act on. */
export interface Rejection {
  readonly path: string;
  readonly reason: string;
}

/** The path's last segment without its extension: what pairs an image with its mask. */
export function stem(path: string): string {
  const name = path.slice(path.lastIndexOf('/') + 1);
  const dot = name.lastIndexOf('.');
  return dot > 0 ? name.slice(0, dot) : name;
}

/** The path's folders, without the file name. */
export function folders(path: string): string[] {
  return path.split('/').slice(0, -1);
}
