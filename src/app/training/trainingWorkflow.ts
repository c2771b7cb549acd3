/**
 * Training the open project: one training job, its progress folded into the training store
 * (src/state/trainingStore.ts) stage by stage. A finished model is stored with the project's
 * pointer to it in one transaction; a cancelled or failed job leaves the project as it was.
 */
import type { Job } from '../../engine/client';
import { perProgressStage, PROGRESS_STAGES, type PixoodModel, type ProgressStage, type TrainingProgress } from '../../engine/api';
import { failureMessage, isCancelled, isEngineCrash } from '../../state/failure';
import { openProject, refreshStorage, useProjects } from '../../state/projectsStore';
import { engineClient, newId, projects } from '../../state/services';
import { freshTraining, trainingSeconds, useTraining } from '../../state/trainingStore';
import { trainingProblems, trainingRequest } from '../../state/trainingRequest';

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

/** Trains the open project. Refused (with the reasons as the message) when it cannot be trained. */
export async function startTraining(): Promise<void> {
  const open = useProjects.getState().current;
  if (!open || job) return;
  const { project, images } = open;
  const problems = trainingProblems(project, images);
  if (problems.length > 0) {
    set({ projectId: project.id, status: 'failed', ...freshTraining(), message: problems.join(' ') });
    return;
  }
  set({ projectId: project.id, status: 'running', ...freshTraining() });
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
