/**
 * The training job's state: its progress stage by stage with the time each took and an estimate
 * of what is left, the loss history, the valid etalons, and how it ended. The training itself
 * (src/app/training) fills it.
 */
import { create } from 'zustand';
import { perProgressStage, TRAINING_STAGES, type ProgressStage, type TrainingProgress, type TrainingSummary } from '../engine/api';

export interface StageProgress {
  readonly status: 'waiting' | 'running' | 'done';
  readonly done: number;
  readonly total: number;
  readonly unit: TrainingProgress['unit'] | null;
  /** performance.now() when the stage's first report came, ms. */
  readonly startedAt: number | null;
  /** Seconds the stage took, once done. */
  readonly seconds: number | null;
  /** Seconds left in this stage at its current rate, once it has one. */
  readonly stageEtaSeconds: number | null;
  /** Opening the backbone: its execution paths are being timed (first use in this browser). */
  readonly measuring?: boolean;
}

export interface LossPoint {
  /** Work done in the stage when the loss was reported (epochs). */
  readonly step: number;
  readonly loss: number;
  readonly classId: number | undefined;
}

export type TrainingStatus = 'idle' | 'running' | 'cancelling' | 'done' | 'cancelled' | 'failed';

export interface TrainingState {
  readonly projectId: string | null;
  readonly status: TrainingStatus;
  readonly stages: Readonly<Record<ProgressStage, StageProgress>>;
  readonly current: ProgressStage | null;
  /** Per stage, in report order. */
  readonly losses: Readonly<Record<ProgressStage, readonly LossPoint[]>>;
  /** Valid etalons per class id, as the condensation reports them. */
  readonly validEtalons: Readonly<Record<number, number>>;
  /** The pipeline's estimate of the seconds left in the whole training, when it gives one. */
  readonly etaSeconds: number | null;
  /** Seconds the finished model took to train (trainingSeconds): the one training time the app shows. */
  readonly seconds: number | null;
  /** How it ended, in words (failures, cancellation). */
  readonly message: string | null;
}

const idleStage: StageProgress = { status: 'waiting', done: 0, total: 0, unit: null, startedAt: null, seconds: null, stageEtaSeconds: null };

/** A job's state before its first report. */
export const freshTraining = (): Omit<TrainingState, 'projectId' | 'status'> => ({
  stages: perProgressStage(() => idleStage),
  current: null,
  losses: perProgressStage(() => []),
  validEtalons: {},
  etaSeconds: null,
  seconds: null,
  message: null,
});

export const useTraining = create<TrainingState>(() => ({ projectId: null, status: 'idle', ...freshTraining() }));

/**
 * A model's training time: its four stages, as the engine timed them. The Train panel and the
 * model card both show this one, so they always agree (the wait for the engine to start and the
 * saving are not training).
 */
export function trainingSeconds(summary: TrainingSummary): number {
  return TRAINING_STAGES.reduce((sum, stage) => sum + summary.seconds[stage], 0);
}

