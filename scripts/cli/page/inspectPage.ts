/**
 * The browser half of `npm run inspect` (cli/inspect.html): reads a model bundle with the app's
 * reader, opens the backbone it was trained on (its SHA-256 must match), scores every image in
 * one streamed job, as the app does, and posts each heatmap PNG in the app's colours.
 */
import { BundleError, readBundle } from '../../../src/core/formats/bundle';
import type { EngineClient } from '../../../src/engine/client';
import type { PixoodModel, StoredModel } from '../../../src/engine/api';
import { heatmapPng } from '../../../src/core/results/colormap';
import { calibrationWithin, REGIONS_NEED_RETRAINING, severityWithin } from '../../../src/core/roi/judgeWithin';
import { regionMask } from '../../../src/core/roi/regionMask';
import type { InspectedImage, InspectJob, InspectResult } from '../protocol';
import { addBackbone, DataError, fetchData, inspectStream, openBackbone, postOutput, progress, runPage } from './pageRun';

const short = (sha256: string) => `${sha256.slice(0, 12)}…`;

/** The backbone the model needs: given, carried in the bundle, or the built-in one; refused unless its SHA-256 is the model's. */
async function modelBackbone(engine: EngineClient, job: InspectJob, model: PixoodModel, carried: Uint8Array | null): Promise<StoredModel> {
  const wanted = model.backbone;
  let stored: StoredModel;
  if (job.backbone) stored = await addBackbone(engine, job.backbone);
  else if (carried) {
    progress(`Adding the backbone carried in the bundle (${wanted.name})`);
    stored = await engine.addModelFromFile(new Blob([carried as Uint8Array<ArrayBuffer>]), `${wanted.name}.onnx`).result;
  } else {
    stored = await addBackbone(engine, 'builtin');
    if (stored.sha256 !== wanted.sha256) {
      throw new DataError(`The model was trained on “${wanted.name}” (SHA-256 ${short(wanted.sha256)}), which is neither the built-in backbone nor inside the bundle: give it with --backbone FILE.onnx.`);
    }
  }
  if (stored.sha256 !== wanted.sha256) {
    throw new DataError(`The backbone given (SHA-256 ${short(stored.sha256)}) is not the one the model was trained on, “${wanted.name}” (SHA-256 ${short(wanted.sha256)}): its features would mean nothing to the model.`);
  }
  return stored;
}

void runPage<InspectJob, InspectResult>(async (job, engine) => {
  const info = await engine.info();
  let contents;
  try {
    contents = readBundle(new Uint8Array(await (await fetchData(job.bundle)).arrayBuffer()));
  } catch (error) {
    if (error instanceof BundleError) throw new DataError(`${job.bundleName}: ${error.message}`);
    throw error;
  }
  const stored = await modelBackbone(engine, job, contents.model, contents.backboneOnnx);
  const backbone = await openBackbone(engine, stored, job.path);
  // The model names its backbone by this browser's library id; here the library is this run's.
  const model: PixoodModel = { ...contents.model, backbone: { ...contents.model.backbone, id: stored.id } };
  // --roi replaces the bundle's own regions.
  const regions = job.regions ?? model.regions ?? null;
  const imageCalibration = regions && model.imageCalibration ? calibrationWithin(regions, model.imageCalibration) : model.imageCalibration;
  if (model.imageCalibration && !imageCalibration) {
    throw new DataError(`${job.bundleName}: ${model.imageCalibration.cells ? 'the regions of interest leave fewer than 2 held-out good images a place to judge, so there is no limit within them.' : REGIONS_NEED_RETRAINING}`);
  }
  const rows: InspectedImage[] = [];
  const blobs = await Promise.all(job.images.map((image) => fetchData(image.key)));
  await inspectStream(engine, model, blobs, job.resolution, async (index, inspection) => {
    const { key, heatmap } = job.images[index];
    if (inspection instanceof Error) {
      rows.push({ key, imageScore: null, severity: null, width: null, height: null, seconds: null, error: inspection.message });
    } else {
      const [mapHeight, mapWidth] = inspection.score.dims;
      const shown = regions ? regionMask(regions, mapWidth, mapHeight, inspection) : null;
      // Outside the regions nothing is shown as anomalous.
      const score = shown ? inspection.score.data.map((value, i) => (shown[i] ? value : 0)) : inspection.score.data;
      await postOutput(heatmap, heatmapPng(score, mapWidth, mapHeight));
      const severity = regions ? severityWithin(regions, inspection.cells).severity : inspection.severity;
      const judged = Number.isFinite(severity)
        ? { severity, error: null }
        : { severity: null, error: 'the regions of interest leave no part of this image to judge' };
      rows.push({ key, imageScore: inspection.imageScore, ...judged, width: inspection.imageWidth, height: inspection.imageHeight, seconds: inspection.seconds });
    }
    progress(`inspected ${index + 1}/${job.images.length} images`);
  });
  return { engine: info, backbone, images: rows, imageCalibration, regions, operatingPoint: contents.operatingPoint };
});
