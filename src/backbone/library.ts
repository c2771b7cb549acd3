/**
 * The models this browser has: each added from a URL (a preset or any address) or from a file
 * the person dropped in, checked against the backbone contract, and only then stored for
 * offline use. A model that fails its check is never stored.
 */
import type { GpuContext } from '../gpu/device';
import type { ModelStore } from '../storage/models';
import { checkModel, type ModelContract } from './contract';
import { download, type ByteProgress } from './download';
import { ModelError } from './errors';
import { IMAGENET } from './preprocess';
import type { ExecutionPath, SessionTarget } from './ortSession';
import type { Precision } from './presets';
import { sha256Hex } from './sha256';

export type ModelSource =
  | { readonly kind: 'preset'; readonly presetId: string; readonly precision: Precision; readonly url: string }
  | { readonly kind: 'url'; readonly url: string }
  | { readonly kind: 'file'; readonly fileName: string };

export interface StoredModel {
  /** The SHA-256 of the file: the same file added twice is one model. */
  readonly id: string;
  readonly name: string;
  readonly source: ModelSource;
  /** Lowercase hex, shown to the person so they can compare it with the publisher's. */
  readonly sha256: string;
  /** Bytes. */
  readonly byteLength: number;
  /** Milliseconds since the epoch. */
  readonly storedAt: number;
  readonly contract: ModelContract;
  /** The path the contract was checked on (wasm unless only the GPU can run the model). */
  readonly checkedOn: ExecutionPath;
}

export type AddProgress = ({ readonly stage: 'download' } & ByteProgress) | { readonly stage: 'check' } | { readonly stage: 'store' };

export interface AddOptions {
  readonly signal?: AbortSignal;
  readonly onProgress?: (progress: AddProgress) => void;
}

export interface ModelLibrary {
  /** Downloads `source.url` (a preset's or any), checks it, stores it. */
  addFromUrl(name: string, source: Extract<ModelSource, { url: string }>, options?: AddOptions): Promise<StoredModel>;
  /** Checks and stores a model the person dropped in. */
  addFromBytes(name: string, bytes: Uint8Array, source: ModelSource, options?: AddOptions): Promise<StoredModel>;
  list(): Promise<StoredModel[]>;
  get(id: string): Promise<StoredModel | undefined>;
  /** The model's bytes, from this browser's storage (works offline). */
  bytes(id: string): Promise<Uint8Array>;
  delete(id: string): Promise<void>;
}

/** A model stored before contracts named the input normalisation was checked as DINOv2's: ImageNet's. */
function upgraded(model: StoredModel): StoredModel {
  return model.contract.normalisation ? model : { ...model, contract: { ...model.contract, normalisation: IMAGENET } };
}

export function modelLibrary(store: ModelStore<StoredModel>, gpu: GpuContext | null): ModelLibrary {
  const library: ModelLibrary = {
    async addFromUrl(name, source, { signal, onProgress } = {}) {
      const bytes = await download(source.url, { signal, onProgress: (p) => onProgress?.({ stage: 'download', ...p }) });
      return library.addFromBytes(name, bytes, source, { signal, onProgress });
    },
    async addFromBytes(name, bytes, source, { signal, onProgress } = {}) {
      onProgress?.({ stage: 'check' });
      const sha256 = await sha256Hex(bytes);
      const { contract, path } = await checkOnSomePath(bytes, gpu);
      signal?.throwIfAborted();
      onProgress?.({ stage: 'store' });
      const model: StoredModel = { id: sha256, name, source, sha256, byteLength: bytes.byteLength, storedAt: Date.now(), contract, checkedOn: path };
      await store.put(model, new Blob([bytes as Uint8Array<ArrayBuffer>], { type: 'application/octet-stream' }));
      return model;
    },
    list: async () => (await store.list()).map(upgraded),
    get: async (id) => {
      const model = await store.get(id);
      return model && upgraded(model);
    },
    async bytes(id) {
      const file = await store.file(id);
      if (!file) throw new ModelError('not-stored', `The model ${id.slice(0, 12)}… is not stored in this browser (it may have been deleted). Add it again.`);
      return new Uint8Array(await file.arrayBuffer());
    },
    delete: (id) => store.delete(id),
  };
  return library;
}

/**
 * The contract is checked on wasm first (always available, and the reference). A model that
 * only the GPU can run (say fp16 weights where the CPU provider lacks the kernels) is checked
 * there instead; a contract violation is the model's fault and is reported at once.
 */
async function checkOnSomePath(bytes: Uint8Array, gpu: GpuContext | null): Promise<{ contract: ModelContract; path: ExecutionPath }> {
  const targets: SessionTarget[] = gpu ? [{ path: 'wasm' }, { path: 'webgpu', gpu }] : [{ path: 'wasm' }];
  let firstError: unknown = null;
  for (const target of targets) {
    try {
      return { contract: await checkModel(bytes, target), path: target.path };
    } catch (error) {
      const pathSpecific = error instanceof ModelError && (error.code === 'model-unsupported' || error.code === 'run-failed');
      if (!pathSpecific) throw error;
      firstError ??= error;
    }
  }
  throw firstError;
}
