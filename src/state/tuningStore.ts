/**
 * A tuning's state: the candidates planned, the one in training, each finished one's capability
 * and time, and which was kept. The tuning itself (src/app/tuning) fills it.
 */
import { create } from 'zustand';
import type { CapabilitySummary } from '../core/capability/capability';
import type { TrainingProgress, TrainingSettings } from '../engine/api';

export interface TunedRow {
  readonly settings: TrainingSettings;
  /** The check at the project's α and ε; null where the model had none (too few good images). */
  readonly capability: CapabilitySummary | null;
  readonly trainingSeconds: number;
}

export interface TuningState {
  readonly projectId: string | null;
  readonly status: 'idle' | 'running' | 'cancelling' | 'done' | 'failed';
  /** Candidates planned, and which one is training (its index), with its latest progress. */
  readonly planned: readonly TrainingSettings[];
  readonly current: number | null;
  readonly progress: TrainingProgress | null;
  readonly rows: readonly TunedRow[];
  /** Index in `rows` of the candidate kept. */
  readonly chosen: number | null;
  readonly message: string | null;
}

export const useTuning = create<TuningState>(() => ({ projectId: null, status: 'idle', planned: [], current: null, progress: null, rows: [], chosen: null, message: null }));

/** Minutes a person may give a tuning; the default: a few candidates at 448 px on a 2-core CPU. */
export const TUNING_BUDGETS_MINUTES: readonly number[] = [2, 5, 10, 20, 60];
export const DEFAULT_TUNING_MINUTES = 10;
