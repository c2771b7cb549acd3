/**
 * The engine's library of backbones as the page sees it: the presets and stored models read
 * into the backbones store (src/state/backbonesStore.ts), and one add-model job at a time (a
 * preset downloaded, a dropped .onnx file checked) with its progress there; a model deleted.
 */
import type { BackbonePreset, JobProgress, StoredModel } from '../../engine/api';
import type { Job } from '../../engine/client';
import { BUILTIN_PRESET, storedFromPreset, useBackbones } from '../../state/backbonesStore';
import { failureMessage, isCancelled } from '../../state/failure';
import { engineClient } from '../../state/services';

const set = useBackbones.setState;
const get = useBackbones.getState;

let running: Job<StoredModel> | null = null;

export async function loadBackbones(): Promise<void> {
  try {
    const engine = engineClient();
    const [presets, models] = await Promise.all([engine.presets(), engine.listModels()]);
    set({ presets, models });
  } catch (error) {
    set({ error: failureMessage(error) });
  }
}

/** Runs one add-model job at a time, reporting its progress; null when it failed or was cancelled. */
async function transfer(key: string, label: string, start: (onProgress: (p: JobProgress) => void) => Job<StoredModel>): Promise<StoredModel | null> {
  if (running) {
    set({ error: 'Another model is being added; wait for it or cancel it first.' });
    return null;
  }
  set({ transfer: { key, label, progress: null }, error: null });
  const job = start((progress) => set({ transfer: { key, label, progress } }));
  running = job;
  try {
    const model = await job.result;
    set({ models: await engineClient().listModels() });
    return model;
  } catch (error) {
    if (!isCancelled(error)) set({ error: `${label}: ${failureMessage(error)}` });
    return null;
  } finally {
    running = null;
    set({ transfer: null });
  }
}

/** The built-in backbone, added to the library from the app's own files on first use (a few kB, offline). */
export async function ensureBuiltin(): Promise<StoredModel | null> {
  if (!get().presets) await loadBackbones();
  const stored = storedFromPreset(get().models, BUILTIN_PRESET);
  if (stored) return stored;
  const preset = get().presets?.find((p) => p.id === BUILTIN_PRESET);
  if (!preset) return null;
  const { url, precision } = preset.variants[0];
  return transfer(preset.id, preset.name, (onProgress) => engineClient().addModelFromUrl(preset.name, { kind: 'preset', presetId: preset.id, precision, url }, onProgress));
}

/** Downloads a preset's variant (from its URL or the one the person typed), checks and stores it. */
export function addPreset(preset: BackbonePreset, precision: BackbonePreset['variants'][number]['precision'], url: string): Promise<StoredModel | null> {
  const name = `${preset.name} (${precision})`;
  return transfer(preset.id, `Downloading ${name}`, (onProgress) => engineClient().addModelFromUrl(name, { kind: 'preset', presetId: preset.id, precision, url }, onProgress));
}

/** An .onnx file the person dropped in. */
export function addModelFile(file: File): Promise<StoredModel | null> {
  return transfer(file.name, `Checking ${file.name}`, (onProgress) => engineClient().addModelFromFile(file, file.name, onProgress));
}

export function cancelTransfer(): void {
  running?.cancel();
}

export async function deleteBackbone(id: string): Promise<void> {
  try {
    await engineClient().deleteModel(id);
    set({ models: await engineClient().listModels() });
  } catch (error) {
    set({ error: failureMessage(error) });
  }
}
