/**
 * The training job: its progress stage by stage with the time each took and an estimate of
 * what is left, the loss history, the valid etalons, and how it ended. A finished model is
 * stored with the project's pointer to it in one transaction; a cancelled or failed job leaves
 * the project as it was.
 */
import { create } from 'zustand';
import type { Job } from '../engine/client';
import { perProgressStage, PROGRESS_STAGES, TRAINING_STAGES, type PixoodModel, type ProgressStage, type TrainingProgress, type TrainingSummary } from '../engine/api';
import { failureMessage, isCancelled, isEngineCrash } from './failure';
import { openProject, refreshStorage, useProjects } from './projectsStore';
import { engineClient, newId, projects } from './services';
import { trainingProblems, trainingRequest } from './trainingRequest';

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

const fresh = (): Omit<TrainingState, 'projectId' | 'status'> => ({
  stages: perProgressStage(() => idleStage),
  current: null,
  losses: perProgressStage(() => []),
  validEtalons: {},
  etaSeconds: null,
  seconds: null,
  message: null,
});

export const useTraining = create<TrainingState>(() => ({ projectId: null, status: 'idle', ...fresh() }));

const set = useTraining.setState;
const get = useTraining.getState;

let job: Job<PixoodModel> | null = null;

/** Folds one progress report into the state: earlier stages are done, this one runs. */
function report(progress: TrainingProgress): void {
  const now = performance.now();
  const state = get();
  const stages = { ...state.stages };
  const at = PROGRESS_STAGES.indexOf(progress.stage);
  for (const earlier of PROGRESS_STAGES.slice(0, at)) {
    const stage = stages[earlier];
    if (stage.status !== 'done') stages[earlier] = { ...stage, status: 'done', seconds: stage.startedAt === null ? null : (now - stage.startedAt) / 1000, stageEtaSeconds: null };
  }
  const previous = stages[progress.stage];
  const startedAt = previous.startedAt ?? now;
  const elapsed = (now - startedAt) / 1000;
  const finished = progress.done >= progress.total && progress.total > 0;
  stages[progress.stage] = {
    status: finished ? 'done' : 'running',
    done: progress.done,
    total: progress.total,
    unit: progress.unit,
    startedAt,
    seconds: finished ? elapsed : null,
    stageEtaSeconds: progress.done > 0 && !finished ? (elapsed / progress.done) * (progress.total - progress.done) : null,
    ...(progress.measuring && { measuring: true }),
  };
  const losses = progress.loss === undefined ? state.losses : { ...state.losses, [progress.stage]: [...state.losses[progress.stage], { step: progress.done, loss: progress.loss, classId: progress.classId }] };
  const validEtalons = progress.validEtalons === undefined || progress.classId === undefined ? state.validEtalons : { ...state.validEtalons, [progress.classId]: progress.validEtalons };
  set({ stages, current: progress.stage, losses, validEtalons, etaSeconds: progress.etaSeconds ?? null });
}

/**
 * A model's training time: its four stages, as the engine timed them. The Train panel and the
 * model card both show this one, so they always agree (the wait for the engine to start and the
 * saving are not training).
 */
export function trainingSeconds(summary: TrainingSummary): number {
  return TRAINING_STAGES.reduce((sum, stage) => sum + summary.seconds[stage], 0);
}

/** Trains the open project. Refused (with the reasons as the message) when it cannot be trained. */
export async function startTraining(): Promise<void> {
  const open = useProjects.getState().current;
  if (!open || job) return;
  const { project, images } = open;
  const problems = trainingProblems(project, images);
  if (problems.length > 0) {
    set({ projectId: project.id, status: 'failed', ...fresh(), message: problems.join(' ') });
    return;
  }
  set({ projectId: project.id, status: 'running', ...fresh() });
  job = engineClient().train(trainingRequest(project, images), report);
  try {
    const model = await job.result;
    const seconds = (s: ProgressStage) => (s === 'capability' ? (model.capability?.seconds ?? null) : s === 'backbone' ? get().stages.backbone.seconds : model.summary.seconds[s]);
    const stages = perProgressStage((s) => ({ ...get().stages[s], status: 'done' as const, stageEtaSeconds: null, seconds: seconds(s) }));
    // A cancel that came during the capability check stopped the check, not the training.
    const checkStopped = get().status === 'cancelling' && !model.capability;
    // The regions of interest belong to the project's parts, not to one training: the new model keeps the current one's.
    const regions = open.models.find((m) => m.id === project.modelId)?.model.regions;
    await (await projects()).saveModel(project.id, newId(), regions ? { ...model, regions } : model);
    set({
      status: 'done',
      stages,
      etaSeconds: null,
      seconds: trainingSeconds(model.summary),
      message: checkStopped ? 'The model is kept; its capability check was stopped, so what it catches is not known. Train again to check it.' : null,
    });
    await openProject(project.id);
    void refreshStorage();
  } catch (error) {
    const cancelled = isCancelled(error);
    set({
      status: cancelled ? 'cancelled' : 'failed',
      etaSeconds: null,
      message: cancelled
        ? 'Training was cancelled. The project and its current model are as they were.'
        : isEngineCrash(error)
          ? 'Training stopped when the engine crashed (see the notice at the top). Train again to start over.'
          : `Training failed: ${failureMessage(error)}`,
    });
  } finally {
    job = null;
  }
}

export function cancelTraining(): void {
  if (!job || get().status !== 'running') return;
  set({ status: 'cancelling' });
  job.cancel();
}
