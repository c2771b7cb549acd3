/**
 * Backbones: the presets (the built-in one and DINOv2), the models stored in this browser, and
 * the one download or check in progress. The engine worker does the work, driven from
 * src/app/backbones; this keeps what the page shows about it.
 */
import { create } from 'zustand';
import type { BackbonePreset, JobProgress, PathChoice, StoredModel } from '../engine/api';

export interface BackboneTransfer {
  /** The preset id, or the file name of a dropped model. */
  readonly key: string;
  readonly label: string;
  readonly progress: JobProgress | null;
}

export interface BackbonesState {
  readonly presets: readonly BackbonePreset[] | null;
  readonly models: readonly StoredModel[] | null;
  readonly transfer: BackboneTransfer | null;
  readonly error: string | null;
  /** Execution-path preference and last measurement, per stored model id, once read. */
  readonly paths: Readonly<Record<string, PathChoice>>;
}

export const useBackbones = create<BackbonesState>(() => ({ presets: null, models: null, transfer: null, error: null, paths: {} }));

export const BUILTIN_PRESET = 'builtin';

/** The stored model a preset was added as, if it was. */
export function storedFromPreset(models: readonly StoredModel[] | null, presetId: string): StoredModel | undefined {
  return models?.find((m) => m.source.kind === 'preset' && m.source.presetId === presetId);
}

export function dismissBackboneError(): void {
  useBackbones.setState({ error: null });
}
