/**
 * The station soak (bench/station.html), through the app's own station workflow, stores, audit
 * log and engine worker: a project whose model is trained on synthetic fabric at 224 px is
 * opened in the station, and a camera faster than the model offers `frames` frames at `fps` a
 * second (default 5,000 at 50): a part is inspected while the frames that come meanwhile are
 * dropped and counted. The page's and the workers' JS memory are sampled every 500 frames.
 */
import { BUILTIN_MODEL_PATH } from '../../src/backbone/presets';
import { DEMO_TEXTURE, rgbPng } from '../../src/demo/demoDataset';
import { addDefect, synthesizeTexture } from '../../src/demo/syntheticDefects';
import { offerPart, openStation } from '../../src/app/station/stationWorkflow';
import { createProject, openProject } from '../../src/state/projectsStore';
import { audit, engineClient, newId, projects } from '../../src/state/services';
import { DEFAULT_SETTINGS } from '../../src/state/settings';
import { useStation } from '../../src/state/stationStore';
import { heaps, spread } from './memory';
import type { StationBenchReport, StationSample } from './stationResult';

const SAMPLE_EVERY = 500;
const SIDE = 224;

const log = (line: string) => {
  document.getElementById('log')!.textContent += `\n${line}`;
  console.log(line);
};

const params = new URLSearchParams(location.search);
const count = (name: string, fallback: number) => Number(params.get(name) ?? fallback);

async function main(): Promise<StationBenchReport> {
  const frames = count('frames', 5000);
  const fps = count('fps', 50);
  const engine = engineClient();
  const backbone = await engine.addModelFromUrl('built-in', { kind: 'url', url: `/${BUILTIN_MODEL_PATH}` }).result;
  await engine.setPathPreference(backbone.id, 'wasm');
  const settings = { ...DEFAULT_SETTINGS, longestSide: SIDE, condensationEpochs: 5 };
  const project = await createProject('Station soak', { id: backbone.id, name: backbone.name }, settings);
  const images = Array.from({ length: 12 }, (_, i) => ({ name: `good_${i}.png`, blob: rgbPng(synthesizeTexture(DEMO_TEXTURE, 90_000 + i, SIDE, SIDE)), classId: 0 }));
  log('training…');
  const model = await engine.train({ classes: ['fabric'], images, backboneId: backbone.id, settings }).result;
  await (await projects()).saveModel(project.id, newId(), model);
  await openProject(project.id);
  await openStation(project.id);
  const path = (await engine.useBackbone(backbone.id).result).path;
  const parts = Array.from({ length: 8 }, (_, i) => {
    const image = synthesizeTexture(DEMO_TEXTURE, 91_000 + i, SIDE, SIDE);
    return rgbPng(i % 2 === 0 ? image : addDefect(image, 'spot', 92_000 + i));
  });

  const samples: StationSample[] = [];
  const started = performance.now();
  let samplingMs = 0;
  for (let frame = 1; frame <= frames; frame++) {
    // Due on a clock that stops while memory is sampled: no burst of late frames after a sample.
    const due = started + samplingMs + (frame * 1000) / fps;
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, due - performance.now())));
    void offerPart({ kind: 'camera' }, async () => parts[frame % parts.length]);
    if (frame % SAMPLE_EVERY === 0) {
      // Between parts: a part in flight holds its image and maps (a few MiB of a page heap of
      // ten), which says nothing about whether memory grows. The frames missed meanwhile are late, not dropped.
      const sampling = performance.now();
      while (useStation.getState().busy) await new Promise((resolve) => setTimeout(resolve, 10));
      const { page, workers } = await heaps();
      samplingMs += performance.now() - sampling;
      const counts = useStation.getState().shift?.counts;
      samples.push({ frames: frame, inspected: counts?.inspected ?? 0, dropped: counts?.dropped ?? 0, pageHeapBytes: page, workerHeapBytes: workers });
      log(`station: ${frame} frames, ${counts?.inspected} inspected, ${counts?.dropped} dropped, page heap ${page}, worker heap ${workers}`);
    }
  }
  while (useStation.getState().busy) await new Promise((resolve) => setTimeout(resolve, 50));
  const seconds = (performance.now() - started) / 1000;
  const shift = useStation.getState().shift!;
  const logged = (await (await audit()).listDecisions(shift.id)).length;
  const later = samples.slice(1);
  return {
    frames,
    framesPerSecond: fps,
    inspected: shift.counts.inspected,
    dropped: shift.counts.dropped,
    logged,
    seconds,
    samplingSeconds: samplingMs / 1000,
    path,
    longestSide: SIDE,
    samples,
    pageHeapSpread: spread(later.map((s) => s.pageHeapBytes)),
    workerHeapSpread: spread(later.map((s) => s.workerHeapBytes)),
  };
}

main().then(
  (report) => (window.stationBench = report),
  (error: unknown) => (window.stationBench = { error: error instanceof Error ? `${error.message}\n${error.stack}` : String(error) }),
);
