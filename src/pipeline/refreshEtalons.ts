/**
 * "Good after all" without retraining, inside the worker: the part's feature grid as its
 * inspection's scorer saw it, the class's etalons refreshed from it (core/condensation/refresh.ts),
 * the part scored again by the refreshed model, and the capability check run again on the
 * held-out good images, since synthetic defects that look like the part may now pass. Scored on
 * the CPU scorer, as training scores the held-out images the threshold rests on.
 */
import { calibrationAfterRefresh, refreshEtalons, refreshFloor, refreshLevel, refreshRefusal } from '../core/condensation/refresh';
import { validEtalonCount } from '../core/condensation/model';
import { checkpoint } from '../core/checkpoint';
import type { PixoodModel } from '../core/model/pixoodModel';
import type { EtalonRefreshRequest, EtalonRefreshResult, TrainingProgress } from '../core/model/requests';
import { matrix } from '../core/tensor';
import { checkCapability } from './capabilityCheck';
import { cpuScorer } from './cpuScorer';
import { decodeImage } from './decodeImage';
import { imageFeatures, type FeatureSource } from './extractFeatures';

export async function refreshFromGoodPart(model: PixoodModel, { part, resolution, heldOut }: EtalonRefreshRequest, source: FeatureSource, signal: AbortSignal, report: (progress: TrainingProgress) => void): Promise<EtalonRefreshResult> {
  const { imageCalibration: calibration, capability: previousCheck, ...rest } = model;
  if (!calibration) return { refused: 'the model has no image calibration; retrain it' };
  const [condensation] = model.condensations;
  const refused = refreshRefusal(model.calibration, condensation, calibration.severities);
  if (refused) return { refused };
  const image = await decodeImage(part);
  const { upsample, longestSide } = model.settings;
  const { grid } = await imageFeatures({ ...source, purpose: 'scoring' }, image, { longestSide: resolution === 'native' ? 'native' : longestSide, upsample });
  const [height, width, dim] = grid.dims;
  const refresh = refreshEtalons(condensation, model.calibration, matrix(height * width, dim, grid.data), refreshLevel(calibration.severities));
  if (refresh.rows.length === 0) return { refused: "none of its features is less normal than the typical good part's worst spot" };
  await checkpoint(signal);
  // Without its capability check until it is run again: the parent's no longer holds.
  const refreshed: PixoodModel = {
    ...rest,
    imageCalibration: calibrationAfterRefresh(calibration, refreshFloor(model.calibration)),
    condensations: [refresh.condensation],
    summary: { ...model.summary, validEtalons: [validEtalonCount(refresh.condensation)] },
  };
  const partScorer = await cpuScorer(refreshed, source, resolution);
  const scored = await partScorer.score(image).finally(() => partScorer.release());
  if (!previousCheck) return { refused: null, model: refreshed, added: refresh.rows.length, severity: scored.severity, cells: scored.cells };
  const checkScorer = await cpuScorer(refreshed, source, 'model');
  try {
    const capability = await checkCapability(refreshed, heldOut, checkScorer, previousCheck.longestSide, async (done, total) => {
      report({ stage: 'capability', done, total, unit: 'plants' });
      await checkpoint(signal);
    });
    return { refused: null, model: capability ? { ...refreshed, capability } : refreshed, added: refresh.rows.length, severity: scored.severity, cells: scored.cells };
  } finally {
    await checkScorer.release();
  }
}
