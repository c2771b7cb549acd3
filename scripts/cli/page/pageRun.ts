/**
 * The browser half shared by the headless commands' pages: reading the job, fetching data files
 * and posting output files through the Node side, progress lines, opening the backbone the way
 * the app does, inspecting as the app's one streamed job, and ending with a result or a coded failure.
 */
import type { EngineClient } from '../../../src/engine/client';
import { EngineError, type EngineErrorCode } from '../../../src/engine/errors';
import type { Inspection, PixoodModel, Resolution, StoredModel } from '../../../src/engine/api';
import { ensureBuiltin } from '../../../src/app/backbones/backboneLibrary';
import { useBackbones } from '../../../src/state/backbonesStore';
import { engineClient } from '../../../src/state/services';
import { EXIT, type ExitCode, type PathOption } from '../args';
import { dataUrl, outUrl, type BackboneChoice, type BackboneUsed } from '../protocol';

/** Bad input found in the page: a file that cannot be read, a backbone that does not fit. */
export class DataError extends Error {
  override readonly name = 'DataError';
}

/** Engine refusals that come from the input (a damaged image or mask, a file that is no backbone), not from the engine. */
const DATA_CODES: ReadonlySet<EngineErrorCode> = new Set<EngineErrorCode>([
  'not-onnx',
  'model-unsupported',
  'input-count',
  'input-rank',
  'input-dtype',
  'input-shape',
  'output-rank',
  'output-dtype',
  'token-grid',
  'bad-image',
  'bad-mask',
  'no-training-data',
  'model-mismatch',
]);

function exitCode(error: unknown): ExitCode {
  if (error instanceof DataError) return EXIT.data;
  if (error instanceof EngineError && DATA_CODES.has(error.code)) return EXIT.data;
  return EXIT.engine;
}

export const progress = (line: string) => void window.cliProgress(line);

/** Runs the page's work on its job and reports the outcome to the Node side. */
export async function runPage<J, R>(work: (job: J, engine: EngineClient) => Promise<R>): Promise<void> {
  try {
    const job = (await window.cliJob()) as J;
    await window.cliDone(await work(job, engineClient()));
  } catch (error) {
    await window.cliFail({ code: exitCode(error), message: error instanceof Error ? error.message : String(error) });
  }
}

/** A data file's bytes, as the Node side read them from disk. */
export async function fetchData(key: string, type = ''): Promise<Blob> {
  const response = await fetch(dataUrl(key));
  if (!response.ok) throw new DataError(`${key}: ${await response.text()}`);
  return new Blob([await response.arrayBuffer()], { type });
}

export async function postOutput(key: string, bytes: Uint8Array): Promise<void> {
  const response = await fetch(outUrl(key), { method: 'POST', body: bytes as Uint8Array<ArrayBuffer> });
  if (!response.ok) throw new Error(`Writing ${key} failed: ${await response.text()}`);
}

export const seconds = (since: number) => (performance.now() - since) / 1000;

/** The built-in backbone exactly as the app adds it, or an .onnx file checked and stored by the engine. */
export async function addBackbone(engine: EngineClient, choice: BackboneChoice): Promise<StoredModel> {
  if (choice === 'builtin') {
    const builtin = await ensureBuiltin();
    if (!builtin) throw new Error(useBackbones.getState().error ?? 'The built-in backbone could not be added.');
    return builtin;
  }
  progress(`Checking ${choice.fileName}`);
  return engine.addModelFromFile(await fetchData(choice.key), choice.fileName).result;
}

/** Opens a stored backbone on the chosen path ('auto': the app's measured choice). */
export async function openBackbone(engine: EngineClient, model: StoredModel, path: PathOption): Promise<BackboneUsed> {
  if (path !== 'auto') await engine.setPathPreference(model.id, path);
  progress(`Opening ${model.name}${path === 'auto' ? ' (measuring the execution paths)' : ` on ${path}`}`);
  const active = await engine.useBackbone(model.id).result;
  progress(`Backbone ${model.name} runs on ${active.path}`);
  return { name: model.name, sha256: model.sha256, dim: model.contract.featureDim, path: active.path, timings: active.timings ?? null };
}

/**
 * The images through the engine as one streamed job, as the app sends them; each result goes to
 * `onResult` in order. When the engine refuses an image for its own sake (a damaged file), that
 * image gets the error and a new stream goes on from the next one.
 */
export async function inspectStream(engine: EngineClient, model: PixoodModel, blobs: readonly Blob[], resolution: Resolution, onResult: (index: number, result: Inspection | Error) => Promise<void>): Promise<void> {
  for (let from = 0; from < blobs.length; ) {
    let delivered = from;
    try {
      await engine.inspect(model, blobs.slice(from), { truth: null, resolution }, async (index, inspection) => {
        delivered = from + index + 1;
        await onResult(from + index, inspection);
      }).result;
      return;
    } catch (error) {
      if (exitCode(error) !== EXIT.data) throw error;
      await onResult(delivered, error as Error);
      from = delivered + 1;
    }
  }
}

/**
 * The data error of a stream, named by its file: the image its message names ("Image 3 of 10:",
 * as a mask found bad after the images were scored), else the one after the last delivered.
 */
export function streamError(error: unknown, keys: readonly string[], delivered: number): unknown {
  if (exitCode(error) !== EXIT.data) return error;
  const named = /^Image (\d+) of \d+:/.exec((error as Error).message);
  const index = named ? Number(named[1]) - 1 : delivered;
  return index < keys.length ? new DataError(`${keys[index]}: ${(error as Error).message}`) : error;
}
