/**
 * Tuning a project's settings from its good images alone: the candidates of tuningCandidates,
 * cheapest first, each trained as a training job with the capability check's plants sized at
 * the project's own input size, judged by how many synthetic defects pass at the project's α
 * and ε, while the person's time budget lasts. The best becomes the project's model and its
 * settings the project's; the others are let go. A cancel stops the candidate in training and
 * keeps the best one finished, if any. What it finds goes into the tuning store
 * (src/state/tuningStore.ts).
 */
import { bestCandidate, tuningCandidates } from '../../core/capability/tuning';
import type { Job } from '../../engine/client';
import type { PixoodModel } from '../../engine/api';
import { failureMessage, isCancelled } from '../../state/failure';
import { modelStanding } from '../../state/modelHealth';
import { openProject, refreshStorage, updateProject, useProjects } from '../../state/projectsStore';
import { engineClient, newId, projects } from '../../state/services';
import { trainingSeconds } from '../../state/trainingStore';
import { trainingProblems, trainingRequest } from '../../state/trainingRequest';
import { useTuning } from '../../state/tuningStore';

const set = useTuning.setState;
const get = useTuning.getState;

let job: Job<PixoodModel> | null = null;

export async function startTuning(budgetMinutes: number): Promise<void> {
  const open = useProjects.getState().current;
  if (!open || job) return;
  const { project, images } = open;
  const problems = trainingProblems(project, images);
  if (problems.length > 0) {
    set({ projectId: project.id, status: 'failed', message: problems.join(' ') });
    return;
  }
  const planned = tuningCandidates(project.settings);
  set({ projectId: project.id, status: 'running', planned, current: null, progress: null, rows: [], chosen: null, message: null });
  const started = performance.now();
  const models: PixoodModel[] = [];
  let stopped: string | null = null;
  for (const [index, settings] of planned.entries()) {
    const lastSeconds = get().rows.at(-1)?.trainingSeconds;
    const elapsed = (performance.now() - started) / 1000;
    // A candidate that the last one's time says would overrun the budget is not started.
    if (lastSeconds !== undefined && elapsed + lastSeconds > budgetMinutes * 60) {
      stopped = `The budget of ${budgetMinutes} min is spent: ${models.length} of ${planned.length} candidates tried.`;
      break;
    }
    set({ current: index, progress: null });
    job = engineClient().train({ ...trainingRequest(project, images), settings, capabilitySide: project.settings.longestSide }, (progress) => set({ progress }));
    try {
      const model = await job.result;
      const { capability } = modelStanding(model, undefined, project);
      models.push(model);
      set({ rows: [...get().rows, { settings, capability, trainingSeconds: trainingSeconds(model.summary) + (model.capability?.seconds ?? 0) }] });
      // A cancel that came during the check left this candidate unjudged: it is listed, not kept.
      if (get().status === 'cancelling') {
        stopped = 'Tuning was cancelled.';
        break;
      }
      if (!capability) {
        stopped = 'Tuning needs a capability check, and this project has too few good images to hold any out: add good images.';
        break;
      }
    } catch (error) {
      stopped = isCancelled(error) ? 'Tuning was cancelled.' : `Tuning stopped: ${failureMessage(error)}`;
      break;
    } finally {
      job = null;
    }
  }
  await keepBest(project.id, models, stopped);
}

/** The best candidate finished becomes the project's model, with its settings; none: the project is as it was. */
async function keepBest(projectId: string, models: readonly PixoodModel[], stopped: string | null): Promise<void> {
  const judged = get().rows.flatMap((row, i) => (row.capability ? [{ settings: row.settings, capability: row.capability, seconds: row.trainingSeconds, index: i }] : []));
  const best = bestCandidate(judged);
  if (!best) {
    set({ status: 'failed', current: null, progress: null, message: `${stopped ?? ''} No candidate finished: the project and its model are as they were.`.trim() });
    return;
  }
  try {
    await (await projects()).saveModel(projectId, newId(), models[best.index]);
    await updateProject((p) => ({ ...p, settings: best.settings }), projectId);
    // The person may have moved to another project meanwhile: only theirs is reopened.
    if (useProjects.getState().current?.project.id === projectId) await openProject(projectId);
    void refreshStorage();
    const kept = `Kept ${best.settings.longestSide} px, K ${best.settings.etalons}: it lets the fewest synthetic defects pass.`;
    set({ status: 'done', current: null, progress: null, chosen: best.index, message: stopped ? `${stopped} ${kept}` : kept });
  } catch (error) {
    set({ status: 'failed', current: null, progress: null, message: `The tuned model could not be saved: ${failureMessage(error)}` });
  }
}

export function cancelTuning(): void {
  if (get().status !== 'running') return;
  set({ status: 'cancelling' });
  job?.cancel();
}
