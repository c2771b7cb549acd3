/**
 * The open project's current model and the rule its verdicts are given by, and a result decided
 * and drawn by them within the model's regions of interest: what the Inspect screen and the
 * station both judge with, so they judge alike.
 */
import type { Resolution } from '../engine/api';
import { heatmapPng } from '../core/results/colormap';
import { decideImage, type VerdictRule } from '../core/results/imageVerdict';
import { judgeWithin, mapsWithin } from '../core/roi/judgeWithin';
import { WHOLE_IMAGE } from '../core/roi/regionSpec';
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
  result: Pick<ResultRecord, 'severity' | 'maps' | 'cells' | 'imageWidth' | 'imageHeight'>,
  model: ModelRecord,
  rule: VerdictRule,
): Pick<ResultRecord, 'epsilon' | 'alpha' | 'threshold' | 'verdict' | 'reason' | 'details' | 'unsure'> {
  const { weakPhrase } = modelStanding(model.model, model.evaluation, rule);
  const judged = judgeWithin(model.model.regions, result, model.model.imageCalibration);
  if (!judged.ok) return { epsilon: rule.epsilon, alpha: rule.alpha, threshold: null, verdict: 'uncalibrated', reason: judged.reason, details: '', unsure: false };
  const { verdict, threshold, reason, details, unsure } = decideImage(judged.severity, judged.maps, result, judged.calibration, rule, weakPhrase, judged.wide);
  return { epsilon: rule.epsilon, alpha: rule.alpha, threshold, verdict, reason, details, unsure };
}

/** The result's heatmap as the model's regions show it: nothing outside them coloured. */
export function heatmapOf(result: Pick<ResultRecord, 'maps' | 'imageWidth' | 'imageHeight'>, model: ModelRecord): Blob {
  const maps = mapsWithin(model.model.regions ?? WHOLE_IMAGE, result.maps, result);
  return new Blob([heatmapPng(maps.score, maps.width, maps.height)], { type: 'image/png' });
}
