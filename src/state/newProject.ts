/**
 * A new project, DINOv2 first: the paper's backbone where it can be had (already in this browser,
 * or downloaded once in the background while the person goes on with the built-in one), the
 * built-in one where it cannot (offline, a failed download, or chosen), with a sentence saying
 * what that costs and how to switch later. Its settings suit the compute at hand (settings.ts).
 * A download that finishes switches the project to DINOv2 only while it has no model, so nothing
 * trained is silently made stale.
 */
import { create } from 'zustand';
import { addPreset, dismissBackboneError, ensureBuiltin, storedFromPreset, useBackbones } from './backbonesStore';
import { createProject, openProject, updateProject, useProjects } from './projectsStore';
import { engineClient } from './services';
import { defaultSettingsFor } from './settings';
import type { ProjectRecord } from '../storage/projectRecords';
import type { TrainingSettings } from '../engine/api';

/** DINOv2 ViT-S/14 with registers: the smallest of the paper's family, 88 MB in fp32 (the reference precision). */
export const DEFAULT_DINOV2 = 'dinov2-with-registers-small';

export type BackboneChoice = 'dinov2' | 'builtin';

/** What became of a new project's DINOv2, for its Project screen; one project at a time. */
export interface BackboneNote {
  readonly projectId: string;
  readonly kind: 'downloading' | 'ready' | 'fell-back';
  readonly text: string;
}

export const useNewProject = create<{ readonly note: BackboneNote | null }>(() => ({ note: null }));

export const FALLBACK_COST =
  'It uses the built-in backbone for now: it works offline, but it is not DINOv2 and misses many small or subtle defects (image AUROC 0.84–0.95 on our real sets, against 0.97 for DINOv2 in the paper). When you are online, choose DINOv2 under Backbone on this screen and train again.';

/** The defaults for the compute at hand: a hardware GPU gets the paper's K. */
export async function defaultSettingsHere(): Promise<TrainingSettings> {
  const { gpu } = await engineClient().info();
  return defaultSettingsFor(gpu !== null && !gpu.isFallbackAdapter);
}

/** Creates the project; null when not even the built-in backbone could be had (the backbones store says why). */
export async function createWithBackbone(name: string, choice: BackboneChoice): Promise<ProjectRecord | null> {
  const builtin = await ensureBuiltin();
  if (!builtin) return null;
  const settings = await defaultSettingsHere();
  const preset = useBackbones.getState().presets?.find((p) => p.id === DEFAULT_DINOV2);
  const stored = storedFromPreset(useBackbones.getState().models, DEFAULT_DINOV2);
  if (choice === 'builtin' || !preset) return createProject(name, builtin, settings);
  if (stored) return createProject(name, stored, settings);
  const project = await createProject(name, builtin, settings);
  useNewProject.setState({ note: { projectId: project.id, kind: 'downloading', text: `Downloading ${preset.name} once (about 88 MB); meanwhile this project uses the built-in backbone.` } });
  void download(project.id);
  return project;
}

async function download(projectId: string): Promise<void> {
  const preset = useBackbones.getState().presets?.find((p) => p.id === DEFAULT_DINOV2);
  if (!preset) return;
  const variant = preset.variants[0];
  const model = await addPreset(preset, variant.precision, variant.url);
  if (!model) {
    const why = useBackbones.getState().error ?? 'the download was cancelled';
    // Said once, in the note that also says what it costs.
    dismissBackboneError();
    useNewProject.setState({ note: { projectId, kind: 'fell-back', text: `DINOv2 could not be downloaded (${why}). ${FALLBACK_COST}` } });
    return;
  }
  let switched = false;
  await updateProject((p) => {
    if (p.modelId !== null) return p;
    switched = true;
    return { ...p, backboneId: model.id, backboneName: model.name };
  }, projectId);
  if (useProjects.getState().current?.project.id === projectId) await openProject(projectId);
  useNewProject.setState({
    note: {
      projectId,
      kind: 'ready',
      text: switched ? `${model.name} is ready, kept for offline use: this project uses it now.` : `${model.name} is ready, kept for offline use. This project already has a model: choose DINOv2 under Backbone and train again to use it.`,
    },
  });
}

export function dismissBackboneNote(): void {
  useNewProject.setState({ note: null });
}
