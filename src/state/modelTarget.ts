/**
 * The open project's current model and the rule its verdicts are given by, and a result decided
 * by them: what the Inspect screen and the station both judge with, so they judge alike.
 */
import type { Resolution } from '../engine/api';
import { decideImage, type VerdictRule } from '../core/results/imageVerdict';
import type { ModelRecord, ResultRecord } from '../storage/projectRecords';
import { modelStanding } from './modelHealth';
import { useProjects } from './projectsStore';

export interface ModelTarget {
  readonly model: ModelRecord;
  readonly rule: VerdictRule;
  readonly projectId: string;
  readonly resolution: Resolution;
}

/** Null when no project is open or it has no model. */
export function currentTarget(): ModelTarget | null {
  const open = useProjects.getState().current;
  const model = open?.models.find((m) => m.id === open.project.modelId);
  if (!open || !model) return null;
  const { epsilon, alpha, minDefectArea, byCatch = null, resolution = 'model' } = open.project;
  return { model, rule: { epsilon, alpha, minDefectArea, byCatch }, projectId: open.project.id, resolution };
}

/** The fields of a result that its verdict sets, with what is known of the model (an evaluation may show it weak). */
export function decided(
  result: Pick<ResultRecord, 'severity' | 'maps' | 'imageWidth' | 'imageHeight'>,
  model: ModelRecord,
  rule: VerdictRule,
): Pick<ResultRecord, 'epsilon' | 'alpha' | 'threshold' | 'verdict' | 'reason' | 'details' | 'unsure'> {
  const { weakPhrase } = modelStanding(model.model, model.evaluation, rule);
  const { verdict, threshold, reason, details, unsure } = decideImage(result.severity, result.maps, result, model.model.imageCalibration, rule, weakPhrase);
  return { epsilon: rule.epsilon, alpha: rule.alpha, threshold, verdict, reason, details, unsure };
}
