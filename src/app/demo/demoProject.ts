/**
 * "Try the demo": a project of generated fabric images (src/demo), with the built-in backbone
 * and settings that train in seconds, ready to train and then inspect its test set, step by step
 * or in one click (trainAndInspect).
 */
import { checkpoint } from '../../core/checkpoint';
import { buildDemoDataset, DEMO_SIZE } from '../../demo/demoDataset';
import type { TrainingSettings } from '../../engine/api';
import { ensureBuiltin } from '../backbones/backboneLibrary';
import { useBackbones } from '../../state/backbonesStore';
import { failureMessage } from '../../state/failure';
import { inspectTestSet } from '../inspection/inspectionWorkflow';
import { navigate, useNavigation } from '../../state/navigation';
import { addClass, addClassImages, addTestImages, createProject, openProject } from '../../state/projectsStore';
import { useDemo } from '../../state/demoStore';
import { DEFAULT_SETTINGS } from '../../state/settings';
import { startTraining } from '../training/trainingWorkflow';
import { useTraining } from '../../state/trainingStore';

/** The demo images are 224 px: no need to enlarge them. */
export const DEMO_SETTINGS: TrainingSettings = { ...DEFAULT_SETTINGS, longestSide: DEMO_SIZE };

/** Builds the demo project and opens it; its id, or null on failure (the reason in useDemo's error). */
export async function createDemoProject(): Promise<string | null> {
  if (useDemo.getState().progress) return null;
  useDemo.setState({ progress: { done: 0, total: 1 }, error: null });
  try {
    const backbone = await ensureBuiltin();
    if (!backbone) throw new Error(useBackbones.getState().error ?? 'The built-in backbone could not be loaded.');
    const demo = await buildDemoDataset(async (done, total) => {
      useDemo.setState({ progress: { done, total } });
      // A turn for the page between images, so it keeps painting and answering.
      await checkpoint();
    });
    const project = await createProject(demo.projectName, backbone, DEMO_SETTINGS);
    await openProject(project.id);
    const classKey = await addClass(demo.className);
    const file = (name: string, blob: Blob) => ({ path: name, file: new File([blob], name, { type: blob.type }) });
    await addClassImages(classKey, demo.images.filter((i) => i.role === 'train').map((i) => file(i.name, i.blob)));
    await addTestImages(
      demo.images
        .filter((i) => i.role === 'test')
        .map((i) => ({ file: file(i.name, i.blob), defectType: i.defect ?? 'good', mask: i.mask ?? null })),
    );
    useDemo.setState({ projectId: project.id });
    return project.id;
  } catch (error) {
    useDemo.setState({ error: failureMessage(error) });
    return null;
  } finally {
    useDemo.setState({ progress: null });
  }
}

/**
 * The whole demo in one click: trains the project on the Train screen, then inspects its test set
 * on the Inspect screen, where the results and the figures appear. A person who moves to another
 * screen meanwhile stays there, with the trained model.
 */
export async function trainAndInspect(projectId: string): Promise<void> {
  navigate({ screen: 'train', projectId });
  await startTraining();
  const { route } = useNavigation.getState();
  if (useTraining.getState().status !== 'done' || route.screen !== 'train' || route.projectId !== projectId) return;
  navigate({ screen: 'inspect', projectId });
  await inspectTestSet();
}
