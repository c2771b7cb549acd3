/**
 * The evaluation's own worker, started by the engine worker for an inspection with ground truth:
 * it counts each score map against its mask while the engine scores the next image, so on a
 * machine with a core to spare the figures cost the inspection almost no time.
 */
import * as Comlink from 'comlink';
import { readDefectMaskPng, type DefectMask } from '../src/core/formats/maskPng';
import { MaskError } from '../src/core/formats/png';
import { createEvaluation, type EvaluationAccumulator, type ExpectedImages } from '../src/core/metrics/evaluation';
import { regionMask } from '../src/core/roi/regionMask';
import { tensor } from '../src/core/tensor';
import type { EvaluationWorkerApi } from '../src/engine/api';

/** A good test image that came without a mask: no defect anywhere. */
const NO_DEFECT: DefectMask = { width: 1, height: 1, data: new Uint8Array(1) };

/** The images start() was told to expect, and the figures made with them (within the regions, when there are regions). */
let expected: ExpectedImages = {};
let evaluation: EvaluationAccumulator | null = null;
/** The figures over the whole images, beside `evaluation`'s within the regions; made at the first image with regions. */
let wholeImage: EvaluationAccumulator | null = null;
let busy = 0;

function counting(): EvaluationAccumulator {
  if (!evaluation) throw new Error('The evaluation worker was used before start().');
  return evaluation;
}

const api: EvaluationWorkerApi = {
  async start(images) {
    expected = images;
    evaluation = createEvaluation(images);
  },
  async add(maps) {
    const started = performance.now();
    try {
      const refused: (string | null)[] = [];
      for (const { score, height, width, severity, mask, defectType, within } of maps) {
        let truth = NO_DEFECT;
        let reason: string | null = null;
        try {
          if (mask) truth = readDefectMaskPng(new Uint8Array(await mask.arrayBuffer()));
        } catch (error) {
          if (!(error instanceof MaskError)) throw error;
          reason = error.message;
        }
        refused.push(reason);
        if (reason !== null) continue;
        const map = tensor([height, width] as const, score);
        if (within) {
          wholeImage ??= createEvaluation(expected);
          wholeImage.add(map, severity, truth, defectType);
          counting().add(map, within.severity, truth, defectType, regionMask(within.spec, width, height, within));
        } else counting().add(map, severity, truth, defectType);
      }
      const scores = maps.map((map) => map.score);
      return Comlink.transfer({ refused, scores }, scores.map((score) => score.buffer as ArrayBuffer));
    } finally {
      busy += (performance.now() - started) / 1000;
    }
  },
  async result() {
    const started = performance.now();
    const report = counting().result();
    return { report, wholeImage: wholeImage?.result() ?? null, busySeconds: busy + (performance.now() - started) / 1000 };
  },
};

Comlink.expose(api);
