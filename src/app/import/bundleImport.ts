/**
 * "Import a model" on the start screen: one `.pixood` bundle at a time becomes a new project
 * (importBundle.ts), its progress, failure and summary in the bundle import store
 * (src/state/import/bundleImportStore.ts).
 */
import { failureMessage } from '../../state/failure';
import { useBundleImport } from '../../state/import/bundleImportStore';
import { refreshProjects } from '../../state/projectsStore';
import { engineClient, newId, projects } from '../../state/services';
import { loadBackbones } from '../backbones/backboneLibrary';
import { importBundle, type ImportedBundle } from './importBundle';

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

/** What a bundle brought: the model and its classes, its calibration, its capability check, its regions of interest (where it has some), its evaluation, its backbone. */
function importSummary({ project, model, addedBackbone, backboneMissing }: ImportedBundle): string {
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
