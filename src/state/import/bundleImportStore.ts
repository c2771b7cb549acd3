/**
 * The start screen's "Import a model": the one bundle being imported, its failure, and what the
 * latest import brought. The import itself (src/app/import) fills it.
 */
import { create } from 'zustand';

export interface BundleImportState {
  /** The file being imported. */
  readonly importing: string | null;
  readonly error: string | null;
  /** The latest import: its project and what arrived, in words, until the person dismisses it. */
  readonly imported: { readonly projectId: string; readonly backboneMissing: boolean; readonly summary: string } | null;
}

export const useBundleImport = create<BundleImportState>(() => ({ importing: null, error: null, imported: null }));

const set = useBundleImport.setState;

/** Files dropped on the start screen that are not one bundle. */
export function refuseDrop(names: readonly string[]): void {
  const what = names.length === 1 ? `“${names[0]}” is not a .pixood model bundle` : `${names.length} files were dropped`;
  set({ error: `${what}: drop one .pixood file here to import a model.` });
}

export function dismissImportError(): void {
  set({ error: null });
}

export function dismissImported(): void {
  set({ imported: null });
}
