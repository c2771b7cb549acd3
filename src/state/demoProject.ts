/**
 * "Try the demo": a project of generated fabric images (src/demo), with the built-in backbone
 * and settings that train in seconds, ready to train and then inspect its test set.
 */
import { create } from 'zustand';
import { checkpoint } from '../core/checkpoint';
import { buildDemoDataset, DEMO_SIZE } from '../demo/demoDataset';
import type { TrainingSettings } from '../engine/api';
import { ensureBuiltin, useBackbones } from './backbonesStore';
import { failureMessage } from './failure';
import { addClass, addClassImages, addTestImages, createProject, openProject } from './projectsStore';
import { DEFAULT_SETTINGS } from './settings';

/** The demo images are 224 px: no need to enlarge them. */
export const DEMO_SETTINGS: TrainingSettings = { ...DEFAULT_SETTINGS, longestSide: DEMO_SIZE };

export const useDemo = create<{ readonly progress: { done: number; total: number } | null; readonly error: string | null }>(() => ({ progress: null, error: null }));

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
    return project.id;
  } catch (error) {
    useDemo.setState({ error: failureMessage(error) });
    return null;
  } finally {
    useDemo.setState({ progress: null });
  }
}
