import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { listFiles } from './dataset';

describe('listFiles', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'pixood-list-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('follows links to files and folders, leaves hidden ones out, and does not loop on a link back up', async () => {
    const store = join(dir, 'store');
    await mkdir(join(store, 'good'), { recursive: true });
    await writeFile(join(store, 'good', 'a.png'), 'a');
    await writeFile(join(store, 'b.png'), 'b');
    const data = join(dir, 'data');
    await mkdir(join(data, 'train'), { recursive: true });
    await mkdir(join(data, '.cache'));
    await writeFile(join(data, '.cache', 'c.png'), 'c');
    await symlink(join(store, 'good'), join(data, 'train', 'good'));
    await symlink(join(store, 'b.png'), join(data, 'b.png'));
    await symlink(data, join(data, 'train', 'loop'));
    await symlink(join(dir, 'missing.png'), join(data, 'dangling.png'));

    expect(await listFiles(data)).toEqual(['b.png', 'train/good/a.png']);
  });
});
