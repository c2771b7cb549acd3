/**
 * The review loop: a person's word on a part makes the model better, as a new version of it.
 * "Good after all" on a failure puts the part into the good images of the model's class and
 * refits the image threshold with its severity among the good parts' (the method allows that
 * without retraining: the model never saw the part, as it never saw the held-out images). The
 * etalons stay as they are; the next training learns from the image. Each version names its
 * parent, its date and what changed; rolling back makes the parent the project's model again.
 */
import { imageThreshold, withGoodPart } from '../../core/calibration/imageThreshold';
import { failureMessage } from '../../state/failure';
import { currentTarget } from '../../state/modelTarget';
import { addClassImages, openProject, updateProject, useProjects } from '../../state/projectsStore';
import { newId, projects } from '../../state/services';
import type { StationFailure } from '../../state/stationStore';
import { useStation } from '../../state/stationStore';
import type { ModelRecord } from '../../storage/projectRecords';
import { openStation, partLabel } from '../station/stationWorkflow';

/** Why a failure cannot be marked good here, or null when it can. */
export function goodAfterAllRefusal(failure: StationFailure): string | null {
  const target = currentTarget();
  if (!target) return 'The project has no model.';
  if (failure.decision.modelId !== target.model.id) return 'Another version of the model decided this part: only the version in use is refit.';
  if (!failure.frame) return 'Only the reduced image of this part is kept (it was decided before a reload); inspect the part again to review it.';
  if (!target.model.model.imageCalibration) return 'This model has no image calibration to refit; retrain it.';
  if (target.model.model.classes.length !== 1) return 'With several classes, add the image to its class on the Project screen and train again.';
  if (target.rule.byCatch) return 'The threshold is set by catch rate, which good parts do not move; set it by α to refit it.';
  return null;
}

/** "Good after all": the part joins the good images, and a new version with the refit threshold becomes the project's model. */
export async function goodAfterAll(failure: StationFailure): Promise<void> {
  const refusal = goodAfterAllRefusal(failure);
  const target = currentTarget();
  const project = useProjects.getState().current?.project;
  if (refusal || !target || !project || !failure.frame) {
    useStation.setState({ error: refusal ?? 'The project is not open.' });
    return;
  }
  const { model, rule, projectId } = target;
  const calibration = model.model.imageCalibration!;
  const className = model.model.classes[0];
  const classKey = project.classes.find((c) => c.name === className)?.key;
  if (!classKey) {
    useStation.setState({ error: `The project no longer has the class "${className}" this model was trained on.` });
    return;
  }
  const label = partLabel(failure.decision);
  const name = `station-${failure.decision.at.replace(/[:.]/g, '-')}-${label.replace(/[^\w.-]+/g, '_')}${failure.frame.type === 'image/jpeg' ? '.jpg' : '.png'}`;
  try {
    await addClassImages(classKey, [{ file: new File([failure.frame], name, { type: failure.frame.type }), path: name }]);
    const refit = withGoodPart(calibration, 0, name, failure.decision.severity);
    const before = imageThreshold(calibration.severities, rule.alpha).severity;
    const after = imageThreshold(refit.severities, rule.alpha).severity;
    const change = `Good after all: ${label} (severity ${failure.decision.severity.toFixed(2)} nats) joined the good images and the threshold's good parts; threshold at α ${before.toFixed(2)} → ${after.toFixed(2)} nats. Etalons unchanged (train again to learn from it).`;
    await (await projects()).saveModel(projectId, newId(), { ...model.model, imageCalibration: refit }, { parentId: model.id, at: new Date().toISOString(), change });
    await openProject(projectId);
    useStation.setState((s) => ({ failures: s.failures.filter((f) => f.decision.id !== failure.decision.id) }));
    await openStation(projectId);
  } catch (e) {
    useStation.setState({ error: `The part could not be marked good: ${failureMessage(e)}` });
  }
}

/** The model's versions back to the first: the current one first. */
export function versionChain(models: readonly ModelRecord[], id: string | null): ModelRecord[] {
  const chain: ModelRecord[] = [];
  for (let m = models.find((x) => x.id === id); m && !chain.includes(m); m = models.find((x) => x.id === m?.version?.parentId)) chain.push(m);
  return chain;
}

/** Makes the current version's parent the project's model again (the newer version stays stored). */
export async function rollBack(): Promise<void> {
  const target = currentTarget();
  const parentId = target?.model.version?.parentId;
  if (!target || !parentId || !useProjects.getState().current?.models.some((m) => m.id === parentId)) {
    useStation.setState({ error: 'This model has no earlier version to roll back to.' });
    return;
  }
  await updateProject((p) => ({ ...p, modelId: parentId }));
  await openProject(target.projectId);
  await openStation(target.projectId);
}
