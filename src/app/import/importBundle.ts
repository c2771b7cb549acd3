/**
 * A `.pixood` bundle becomes a new project holding its model. Everything is checked before
 * anything is stored: the file's size, then the whole bundle (src/core/formats/bundle.ts),
 * then the backbone it carries, which the engine checks against the backbone contract before
 * adding it to the library. The project and its model are written in one transaction; if that
 * fails, a backbone this import added is removed again, so a failure leaves nothing behind.
 */
import { DEFAULT_ALPHA } from '../../core/calibration/imageThreshold';
import { BundleError, readBundle, type BundleContents } from '../../core/formats/bundle';
import type { EngineClient } from '../../engine/client';
import type { PixoodModel, StoredModel } from '../../engine/api';
import type { ModelRecord, ProjectRecord } from '../../storage/projectRecords';
import type { ProjectStore } from '../../storage/projectStore';
import { failureMessage } from '../../state/failure';
import { DEFAULT_EPSILON } from '../../state/settings';

/** Bytes. A bundle is read whole into memory; past this the browser would likely fail anyway. */
export const MAX_BUNDLE_BYTES = 2 * 1024 ** 3;

export class BundleImportError extends Error {
  override readonly name = 'BundleImportError';
}

export interface ImportServices {
  readonly store: ProjectStore;
  readonly engine: Pick<EngineClient, 'listModels' | 'addModelFromFile' | 'deleteModel'>;
  readonly newId: () => string;
}

export interface ImportedBundle {
  readonly project: ProjectRecord;
  readonly model: ModelRecord;
  /** The backbone the bundle carried and this import added to the library. */
  readonly addedBackbone: StoredModel | null;
  /** True when the model's backbone is not in this browser (the bundle did not carry it). */
  readonly backboneMissing: boolean;
}

const GIB = 1024 ** 3;

/** A bundle checked as an import checks it: the bundle whole, then the backbone it needs. */
export interface VerifiedBundle {
  readonly contents: BundleContents;
  /** The model as this browser holds it: its backbone named by its SHA-256, the library's id for it. */
  readonly model: PixoodModel;
  /** The backbone in this browser's library; null when it lacks it and the bundle did not carry it. */
  readonly backbone: StoredModel | null;
  /** The backbone the bundle carried and this check added to the library. */
  readonly addedBackbone: StoredModel | null;
  /** Takes the added backbone out of the library again, for a bundle refused or not stored after all. */
  removeAdded(): Promise<void>;
}

/**
 * Checks `file` before anything is stored: its size, the whole bundle, and the backbone it carries
 * (added to the library only when it passes the engine's contract check) or the one already here
 * against the model's feature size and patch. A BundleImportError says what is wrong.
 */
export async function verifyBundle(file: Blob, fileName: string, engine: ImportServices['engine']): Promise<VerifiedBundle> {
  const refuse = (reason: string): never => {
    throw new BundleImportError(`“${fileName}” was not imported: ${reason}`);
  };
  if (file.size > MAX_BUNDLE_BYTES) refuse(`it is ${(file.size / GIB).toFixed(1)} GiB, more than the ${MAX_BUNDLE_BYTES / GIB} GiB a model bundle may take.`);
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(await file.arrayBuffer());
  } catch (error) {
    return refuse(`the file could not be read (${failureMessage(error)}).`);
  }
  let contents: BundleContents;
  try {
    contents = readBundle(bytes, { maxCompressedBytes: MAX_BUNDLE_BYTES, maxUncompressedBytes: MAX_BUNDLE_BYTES });
  } catch (error) {
    if (error instanceof BundleError) return refuse(error.message.replace(/^model bundle: /, ''));
    throw error;
  }
  const { model, backboneOnnx } = contents;
  const { sha256 } = model.backbone;

  const stored = (await engine.listModels()).find((m) => m.id === sha256) ?? null;
  let addedBackbone: StoredModel | null = null;
  if (!stored && backboneOnnx) {
    try {
      const onnx = new Blob([backboneOnnx as Uint8Array<ArrayBuffer>], { type: 'application/octet-stream' });
      addedBackbone = await engine.addModelFromFile(onnx, `${model.backbone.name}.onnx`).result;
    } catch (error) {
      return refuse(`the backbone inside it was refused: ${failureMessage(error)}`);
    }
  }
  const backbone = stored ?? addedBackbone;

  const removeAdded = async () => {
    // Best effort: the import has failed either way, and its message matters more than this one.
    if (addedBackbone) await engine.deleteModel(addedBackbone.id).catch(() => undefined);
  };
  if (backbone && backbone.contract.featureDim !== model.backbone.dim) {
    await removeAdded();
    refuse(`the model expects ${model.backbone.dim} features per patch, but the backbone ${backbone.name} gives ${backbone.contract.featureDim}.`);
  }
  if (backbone && backbone.contract.patchSize !== model.backbone.patchSize) {
    await removeAdded();
    refuse(`the model expects ${model.backbone.patchSize}-pixel patches, but the backbone ${backbone.name} uses ${backbone.contract.patchSize}.`);
  }
  // In this browser's library a backbone's id is its SHA-256, whatever id it had where the model was trained.
  const localModel = { ...model, backbone: { ...model.backbone, id: sha256 } };
  return { contents, model: localModel, backbone, addedBackbone, removeAdded };
}

export async function importBundle(file: Blob, fileName: string, services: ImportServices): Promise<ImportedBundle> {
  const { contents, model, backbone, addedBackbone, removeAdded } = await verifyBundle(file, fileName, services.engine);
  const { metrics, projectName, operatingPoint } = contents;
  const projectId = services.newId();
  const modelId = services.newId();
  const project: ProjectRecord = {
    id: projectId,
    // Bundles from before the manifest kept it: the export named its file "<project>-model.pixood".
    name: projectName || fileName.replace(/\.pixood$/i, '').replace(/-model$/, '') || 'Imported model',
    backboneId: model.backbone.id,
    backboneName: backbone?.name ?? model.backbone.name,
    classes: model.classes.map((name) => ({ key: services.newId(), name })),
    maskClasses: [],
    settings: model.settings,
    modelId,
    epsilon: DEFAULT_EPSILON,
    alpha: operatingPoint?.alpha ?? DEFAULT_ALPHA,
    byCatch: operatingPoint?.byCatch ?? null,
    minDefectArea: 0,
    createdAt: new Date().toISOString(),
  };
  const record: ModelRecord = { id: modelId, projectId, model, ...(metrics && { evaluation: metrics }) };
  try {
    await services.store.importProject(project, record);
  } catch (error) {
    await removeAdded();
    throw new BundleImportError(`“${fileName}” was not imported: it could not be stored (${failureMessage(error)}).`);
  }
  return { project, model: record, addedBackbone, backboneMissing: backbone === null };
}
