/** The start screen's "Import a model": one bundle at a time, its progress and its failure. */
import { create } from 'zustand';
import { loadBackbones } from '../backbonesStore';
import { failureMessage } from '../failure';
import { refreshProjects } from '../projectsStore';
import { engineClient, newId, projects } from '../services';
import { importBundle } from './importBundle';

export interface BundleImportState {
  /** The file being imported. */
  readonly importing: string | null;
  readonly error: string | null;
}

export const useBundleImport = create<BundleImportState>(() => ({ importing: null, error: null }));

const set = useBundleImport.setState;

/** Imports a `.pixood` file as a new project; its id, or null on failure (the reason in `error`). */
export async function importModelFile(file: File): Promise<string | null> {
  if (useBundleImport.getState().importing) return null;
  set({ importing: file.name, error: null });
  try {
    const imported = await importBundle(file, file.name, { store: await projects(), engine: engineClient(), newId });
    await refreshProjects();
    if (imported.addedBackbone) await loadBackbones();
    return imported.project.id;
  } catch (error) {
    set({ error: failureMessage(error) });
    return null;
  } finally {
    set({ importing: null });
  }
}

/** Files dropped on the start screen that are not one bundle. */
export function refuseDrop(names: readonly string[]): void {
  const what = names.length === 1 ? `“${names[0]}” is not a .pixood model bundle` : `${names.length} files were dropped`;
  set({ error: `${what}: drop one .pixood file here to import a model.` });
}

export function dismissImportError(): void {
  set({ error: null });
}
