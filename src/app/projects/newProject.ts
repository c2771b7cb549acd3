/**
 * A new project, DINOv2 first: the paper's backbone where it can be had (already in this browser,
 * or downloaded once in the background while the person goes on with the built-in one), the
 * built-in one where it cannot (offline, a failed download, or chosen), with a sentence saying
 * what that costs and how to switch later. Its settings are the defaults (src/state/settings.ts).
 * A download that finishes switches the project to DINOv2 only while it has no model, so nothing
 * trained is silently made stale. What became of the download goes into the new project's note
 * (src/state/newProjectStore.ts).
 */
import { dismissBackboneError, storedFromPreset, useBackbones } from '../../state/backbonesStore';
import { useNewProject } from '../../state/newProjectStore';
import { createProject, openProject, updateProject, useProjects } from '../../state/projectsStore';
import { engineClient } from '../../state/services';
import { DEFAULT_SETTINGS } from '../../state/settings';
import type { ProjectRecord } from '../../storage/projectRecords';
import type { BackbonePreset } from '../../engine/api';
import { addPreset, ensureBuiltin } from '../backbones/backboneLibrary';

type PresetVariant = BackbonePreset['variants'][number];

/** DINOv2 ViT-S/14 with registers: the smallest of the paper's family (88 MB in fp32, 24 MB in int8). */
export const DEFAULT_DINOV2 = 'dinov2-with-registers-small';

export type BackboneChoice = 'dinov2' | 'builtin';

export const FALLBACK_COST =
  'It uses the built-in backbone for now: it works offline, but it is not DINOv2 and misses many small or subtle defects (image AUROC 0.84–0.95 on our real sets, against 0.97 for DINOv2 in the paper). When you are online, choose DINOv2 under Backbone on this screen and train again.';

/** Whether the engine has a hardware GPU; a software adapter is the CPU's work by another road. */
export async function hardwareGpuHere(): Promise<boolean> {
  const { gpu } = await engineClient().info();
  return gpu !== null && !gpu.isFallbackAdapter;
}

/**
 * The DINOv2 weights a new project downloads. On the CPU path int8: measured faster than fp32
 * with every patch token within cosine 0.999 of fp32's (README, "DINOv2: the default where it
 * can be had"). With a hardware GPU fp32, the reference: the quantised graph was not measured
 * on one.
 */
export function dinov2Variant(preset: BackbonePreset, hardwareGpu: boolean): PresetVariant {
  const wanted = hardwareGpu ? 'fp32' : 'int8';
  return preset.variants.find((v) => v.precision === wanted) ?? preset.variants[0];
}

const aboutMegabytes = (variant: PresetVariant): string => (variant.approxBytes === null ? '' : ` (about ${Math.round(variant.approxBytes / 1e6)} MB)`);

/** Creates the project; null when not even the built-in backbone could be had (the backbones store says why). */
export async function createWithBackbone(name: string, choice: BackboneChoice): Promise<ProjectRecord | null> {
  const builtin = await ensureBuiltin();
  if (!builtin) return null;
  const hardwareGpu = await hardwareGpuHere();
  const preset = useBackbones.getState().presets?.find((p) => p.id === DEFAULT_DINOV2);
  const stored = storedFromPreset(useBackbones.getState().models, DEFAULT_DINOV2);
  if (choice === 'builtin' || !preset) return createProject(name, builtin, DEFAULT_SETTINGS);
  if (stored) return createProject(name, stored, DEFAULT_SETTINGS);
  const project = await createProject(name, builtin, DEFAULT_SETTINGS);
  const variant = dinov2Variant(preset, hardwareGpu);
  useNewProject.setState({ note: { projectId: project.id, kind: 'downloading', text: `Downloading ${preset.name}, ${variant.precision}, once${aboutMegabytes(variant)}; meanwhile this project uses the built-in backbone.` } });
  void download(project.id, preset, variant);
  return project;
}

async function download(projectId: string, preset: BackbonePreset, variant: PresetVariant): Promise<void> {
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
