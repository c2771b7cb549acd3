/**
 * Writes the app's PNG icons (public/icons/) from scripts/appIcon.ts, so the committed files are
 * always what the drawing code makes (a test compares the bytes). Run with `npm run build:icons`.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ICON_FILES, iconPng } from './appIcon';

const publicDir = new URL('../public/', import.meta.url);
mkdirSync(fileURLToPath(new URL('icons/', publicDir)), { recursive: true });
for (const icon of ICON_FILES) {
  const target = fileURLToPath(new URL(icon.path, publicDir));
  const bytes = iconPng(icon);
  writeFileSync(target, bytes);
  console.log(`wrote ${target} (${icon.size}×${icon.size}${icon.maskable ? ', maskable' : ''}, ${bytes.length} bytes)`);
}
