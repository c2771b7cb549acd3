/** The start screen's "Import a model": one bundle at a time, its progress and its failure. */
import { create } from 'zustand';
import { loadBackbones } from '../backbonesStore';
import { failureMessage } from '../failure';
import { refreshProjects } from '../projectsStore';
import { engineClient, newId, projects } from '../services';
import { importBundle, type ImportedBundle } from './importBundle';

export interface BundleImportState {
  /** The file being imported. */
  readonly importing: string | null;
  readonly error: string | null;
  /** The latest import: its project and what arrived, in words, until the person dismisses it. */
  readonly imported: { readonly projectId: string; readonly backboneMissing: boolean; readonly summary: string } | null;
}

export const useBundleImport = create<BundleImportState>(() => ({ importing: null, error: null, imported: null }));

const set = useBundleImport.setState;

/** Imports a `.pixood` file as a new project; its id, or null on failure (the reason in `error`). */
export async function importModelFile(file: File): Promise<string | null> {
  if (useBundleImport.getState().importing) return null;
  set({ importing: file.name, error: null, imported: null });
  try {
    const imported = await importBundle(file, file.name, { store: await projects(), engine: engineClient(), newId });
    await refreshProjects();
    if (imported.addedBackbone) await loadBackbones();
    set({ imported: { projectId: imported.project.id, backboneMissing: imported.backboneMissing, summary: importSummary(imported) } });
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

export function dismissImported(): void {
  set({ imported: null });
}

/** What a bundle brought: the model and its classes, its calibration, its capability check, its regions of interest (where it has some), its evaluation, its backbone. */
export function importSummary({ project, model, addedBackbone, backboneMissing }: ImportedBundle): string {
  const { classes, imageCalibration, backbone } = model.model;
  const parts = [
    `the model (${classes.length} ${classes.length === 1 ? 'class' : 'classes'}: ${classes.join(', ')})`,
    imageCalibration ? 'its pass/fail calibration' : 'no pass/fail calibration (retrain it for verdicts)',
    model.model.capability ? 'its capability check' : 'no capability check (retrain it to learn what it catches)',
    ...(model.model.regions ? [`its regions of interest (${model.model.regions.regions.length} ${model.model.regions.regions.length === 1 ? 'region' : 'regions'}, a ${model.model.regions.marginPx} px margin)`] : []),
    model.evaluation ? `its evaluation on ${model.evaluation.overall.images} test images` : 'no evaluation',
    addedBackbone ? `its backbone ${backbone.name}, now added to this browser` : backboneMissing ? `not its backbone ${backbone.name}, which this browser lacks: add it on the Project screen` : `its backbone ${backbone.name}, already in this browser`,
  ];
  return `Imported “${project.name}”: ${parts.join('; ')}.`;
}
