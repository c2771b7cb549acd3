/**
 * The engine worker's decoder during an inspection: each image's file is read and decoded here
 * while the engine scores the one before. In the engine's own thread the browser's decoder could
 * not start before the scorer, which never yields to the event loop, had finished: the file's
 * read is delivered to the thread that asked for it.
 */
import * as Comlink from 'comlink';
import type { DecodeWorkerApi } from '../src/engine/api';
import { decodeImage } from '../src/pipeline/decodeImage';
import { PipelineError } from '../src/pipeline/errors';

const api: DecodeWorkerApi = {
  async decode(blob) {
    try {
      const image = await decodeImage(blob);
      return Comlink.transfer({ ok: true, image }, [image.data.buffer as ArrayBuffer]);
    } catch (error) {
      if (error instanceof PipelineError) return { ok: false, code: error.code, message: error.message };
      throw error;
    }
  },
};

Comlink.expose(api);
