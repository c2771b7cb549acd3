/**
 * Datasets on disk in the MVTec AD layout, paired by the app's own reader
 * (src/state/intake/mvtecLayout.ts): one category (DIR/train/good), or one per subfolder that
 * has train/good. Every image's header is checked here with the app's checker, so an unreadable
 * file is named before the browser starts.
 */
import { readdir, readFile, realpath, stat } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { checkImageFile } from '../../src/core/formats/imageHeader';
import type { IncomingFile } from '../../src/state/intake/incoming';
import { mvtecDataset } from '../../src/state/intake/mvtecLayout';
import { CliError, EXIT } from './args';
import type { EvalCategory } from './protocol';

export interface DiskDataset {
  readonly categories: readonly EvalCategory[];
  /** Data key ('/'-separated path relative to the dataset folder) → file on disk. */
  readonly files: ReadonlyMap<string, string>;
  /** Files the layout does not use, each with the reason. */
  readonly skipped: readonly { readonly path: string; readonly reason: string }[];
}

/**
 * Every file under `dir`, as '/'-separated paths relative to it, sorted; hidden files and
 * folders are left out. Links to files and folders are followed, as the category check's stat
 * does, so a dataset of links is not silently empty; a link back to a folder it is in is not.
 */
export async function listFiles(dir: string): Promise<string[]> {
  const found: string[] = [];
  const walk = async (folder: string, prefix: string, above: ReadonlySet<string>): Promise<void> => {
    const real = await realpath(folder);
    if (above.has(real)) return;
    const within = new Set(above).add(real);
    for (const entry of await readdir(folder, { withFileTypes: true })) {
      if (entry.name.startsWith('.')) continue;
      const path = join(folder, entry.name);
      const target = entry.isSymbolicLink() ? await stat(path).catch(() => null) : entry;
      if (target?.isDirectory()) await walk(path, `${prefix}${entry.name}/`, within);
      else if (target?.isFile()) found.push(`${prefix}${entry.name}`);
    }
  };
  await walk(dir, '', new Set());
  return found.sort();
}

/** A file the command was given (a backbone, a bundle): refused with its path when it is not there. */
export async function requireFile(path: string): Promise<string> {
  if (!(await stat(path).catch(() => null))?.isFile()) throw new CliError(EXIT.data, `${path}: no such file.`);
  return resolve(path);
}

async function isFolder(path: string): Promise<boolean> {
  return (await stat(path).catch(() => null))?.isDirectory() ?? false;
}

/** The categories under `dir`: itself when it holds train/good, else its subfolders that do. */
export async function categoryFolders(dir: string): Promise<string[]> {
  if (!(await isFolder(dir))) throw new CliError(EXIT.data, `${dir}: no such folder.`);
  if (await isFolder(join(dir, 'train', 'good'))) return ['.'];
  const subfolders = (await readdir(dir, { withFileTypes: true })).filter((e) => e.isDirectory() && !e.name.startsWith('.')).map((e) => e.name).sort();
  const categories: string[] = [];
  for (const name of subfolders) if (await isFolder(join(dir, name, 'train', 'good'))) categories.push(name);
  if (categories.length === 0) throw new CliError(EXIT.data, `${dir}: no train/good folder in it or in its subfolders (the MVTec AD layout: <category>/train/good, test/<type>, ground_truth/<type>).`);
  return categories;
}

async function checkImage(path: string): Promise<void> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch (error) {
    throw new CliError(EXIT.data, `${path}: cannot be read (${error instanceof Error ? error.message : String(error)}).`);
  }
  const verdict = checkImageFile(bytes);
  if (!verdict.ok) throw new CliError(EXIT.data, `${path}: ${verdict.message}`);
}

export async function readDataset(dir: string): Promise<DiskDataset> {
  const files = new Map<string, string>();
  const categories: EvalCategory[] = [];
  const skipped: { path: string; reason: string }[] = [];
  for (const folder of await categoryFolders(dir)) {
    const root = join(dir, folder);
    const prefix = folder === '.' ? '' : `${folder}/`;
    // The layout is recognised from paths alone; the bytes are served to the page later, so the File is a name only.
    const incoming: IncomingFile[] = (await listFiles(root)).map((path) => ({ path, file: new File([], basename(path)) }));
    const layout = mvtecDataset(incoming);
    const key = (file: IncomingFile) => {
      files.set(prefix + file.path, join(root, file.path));
      return prefix + file.path;
    };
    for (const r of layout.rejected) skipped.push({ path: join(root, r.path), reason: r.reason });
    const name = folder === '.' ? basename(join(process.cwd(), dir)) : folder;
    if (layout.train.length === 0) throw new CliError(EXIT.data, `${join(root, 'train', 'good')}: no images in it.`);
    if (layout.test.length === 0) throw new CliError(EXIT.data, `${join(root, 'test')}: no test images (test/<type>/*) to evaluate on.`);
    for (const f of [...layout.train, ...layout.test.map((t) => t.file)]) await checkImage(join(root, f.path));
    categories.push({
      name,
      train: layout.train.map(key),
      test: layout.test.map((t) => ({ key: key(t.file), defectType: t.defectType, mask: t.mask ? key(t.mask) : null })),
    });
  }
  return { categories, files, skipped };
}
