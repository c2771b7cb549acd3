/**
 * Reading and writing projects and what belongs to them. Every change that touches more than
 * one record is one transaction: a project is deleted with all its images, models,
 * results and audit log, and a model is stored together with the project's pointer to it, or neither is.
 */
import type { PixoodModel } from '../core/model/pixoodModel';
import { isWholeImage, type RegionSpec } from '../core/roi/regionSpec';
import type { ProjectDb } from './projectDb';
import type { EvaluationRecord, ImageRecord, ModelRecord, ModelVersion, ProjectRecord, ResultRecord } from './projectRecords';

export interface ProjectStore {
  listProjects(): Promise<ProjectRecord[]>;
  getProject(id: string): Promise<ProjectRecord | undefined>;
  /** Creates or replaces a project's own record (not its images, models or results). */
  putProject(project: ProjectRecord): Promise<void>;
  /** Changes a project record in one transaction; throws if the project is gone. */
  updateProject(id: string, change: (project: ProjectRecord) => ProjectRecord): Promise<ProjectRecord>;
  /** The project and everything that belongs to it. */
  deleteProject(id: string): Promise<void>;
  /**
   * A new project with its one model (an imported bundle), in one transaction: both or neither.
   * Ids already taken are refused rather than overwritten.
   */
  importProject(project: ProjectRecord, model: ModelRecord): Promise<void>;

  listImages(projectId: string): Promise<ImageRecord[]>;
  /**
   * Adds images to existing projects, all or none. With `change`, the images' one project record
   * changes in the same transaction (say, to hold the class the images were read into).
   */
  addImages(images: readonly ImageRecord[], change?: (project: ProjectRecord) => ProjectRecord): Promise<void>;
  deleteImages(ids: readonly string[]): Promise<void>;

  listModels(projectId: string): Promise<ModelRecord[]>;
  getModel(id: string): Promise<ModelRecord | undefined>;
  /** Stores a trained model (or a version of one, with its figures where they came with it) and makes it the project's current model, in one transaction. */
  saveModel(projectId: string, id: string, model: PixoodModel, version?: ModelVersion, evaluation?: EvaluationRecord): Promise<ModelRecord>;
  /** Records a model's figures on the test images. */
  setEvaluation(modelId: string, evaluation: EvaluationRecord): Promise<void>;
  /** Sets the regions of interest a model judges within (core/roi); the whole image clears them. */
  setRegions(modelId: string, regions: RegionSpec): Promise<void>;
  /** Deletes a model and its results; a project that pointed at it points at none. */
  deleteModel(id: string): Promise<void>;

  listResults(projectId: string): Promise<ResultRecord[]>;
  addResults(results: readonly ResultRecord[]): Promise<void>;
  deleteResults(ids: readonly string[]): Promise<void>;
}

export class MissingProjectError extends Error {
  override readonly name = 'MissingProjectError';
  constructor(readonly projectId: string) {
    super(`The project ${projectId} no longer exists (it may have been deleted in another tab).`);
  }
}

export function projectStore(db: ProjectDb): ProjectStore {
  return {
    listProjects: () => db.getAll('projects'),
    getProject: (id) => db.get('projects', id),
    async putProject(project) {
      await db.put('projects', project);
    },
    async updateProject(id, change) {
      const tx = db.transaction('projects', 'readwrite');
      const project = await tx.store.get(id);
      if (!project) {
        tx.abort();
        await tx.done.catch(() => {});
        throw new MissingProjectError(id);
      }
      const updated = change(project);
      await Promise.all([tx.store.put(updated), tx.done]);
      return updated;
    },
    async deleteProject(id) {
      const tx = db.transaction(['projects', 'images', 'models', 'results', 'shifts', 'decisions', 'failureImages'], 'readwrite');
      const owned = (['images', 'models', 'results', 'shifts', 'decisions', 'failureImages'] as const).map(async (store) => {
        const keys = await tx.objectStore(store).index('byProject').getAllKeys(id);
        await Promise.all(keys.map((key) => tx.objectStore(store).delete(key)));
      });
      await Promise.all([...owned, tx.objectStore('projects').delete(id), tx.done]);
    },
    async importProject(project, model) {
      if (model.projectId !== project.id || project.modelId !== model.id) throw new Error('An imported project must point at its model, and the model at the project.');
      const tx = db.transaction(['projects', 'models'], 'readwrite');
      await writeAll(tx, [() => tx.objectStore('projects').add(project), () => tx.objectStore('models').add(model)]);
    },

    listImages: (projectId) => db.getAllFromIndex('images', 'byProject', projectId),
    async addImages(images, change) {
      const projectIds = [...new Set(images.map((image) => image.projectId))];
      if (change && projectIds.length !== 1) throw new RangeError(`A project change goes with the images of one project, not ${projectIds.length}.`);
      const tx = db.transaction(['projects', 'images'], 'readwrite');
      const found = await Promise.all(projectIds.map((id) => tx.objectStore('projects').get(id)));
      const missing = projectIds.find((_, i) => found[i] === undefined);
      if (missing !== undefined) {
        tx.abort();
        await tx.done.catch(() => {});
        throw new MissingProjectError(missing);
      }
      const writes = images.map((image) => () => tx.objectStore('images').put(image));
      if (change) writes.push(() => tx.objectStore('projects').put(change(found[0] as ProjectRecord)));
      await writeAll(tx, writes);
    },
    async deleteImages(ids) {
      const tx = db.transaction('images', 'readwrite');
      await Promise.all([...ids.map((id) => tx.store.delete(id)), tx.done]);
    },

    listModels: (projectId) => db.getAllFromIndex('models', 'byProject', projectId),
    getModel: (id) => db.get('models', id),
    async saveModel(projectId, id, model, version, evaluation) {
      const record: ModelRecord = { id, projectId, model, ...(version && { version }), ...(evaluation && { evaluation }) };
      const tx = db.transaction(['projects', 'models'], 'readwrite');
      const project = await tx.objectStore('projects').get(projectId);
      if (!project) {
        tx.abort();
        await tx.done.catch(() => {});
        throw new MissingProjectError(projectId);
      }
      // If either put fails (say the disk is full), the transaction aborts and neither lands.
      await writeAll(tx, [() => tx.objectStore('models').put(record), () => tx.objectStore('projects').put({ ...project, modelId: id })]);
      return record;
    },
    async setEvaluation(modelId, evaluation) {
      const tx = db.transaction('models', 'readwrite');
      const record = await tx.store.get(modelId);
      // A model deleted meanwhile has no figures to keep.
      if (record) await tx.store.put({ ...record, evaluation });
      await tx.done;
    },
    async setRegions(modelId, regions) {
      const tx = db.transaction('models', 'readwrite');
      const record = await tx.store.get(modelId);
      if (record) {
        await tx.store.put({ ...record, model: { ...record.model, regions: isWholeImage(regions) ? undefined : regions } });
      }
      await tx.done;
    },
    async deleteModel(id) {
      const tx = db.transaction(['projects', 'models', 'results'], 'readwrite');
      const model = await tx.objectStore('models').get(id);
      const work: Promise<unknown>[] = [tx.objectStore('models').delete(id)];
      const resultKeys = await tx.objectStore('results').index('byModel').getAllKeys(id);
      work.push(...resultKeys.map((key) => tx.objectStore('results').delete(key)));
      if (model) {
        const project = await tx.objectStore('projects').get(model.projectId);
        if (project?.modelId === id) work.push(tx.objectStore('projects').put({ ...project, modelId: null }));
      }
      await Promise.all([...work, tx.done]);
    },

    listResults: (projectId) => db.getAllFromIndex('results', 'byProject', projectId),
    async addResults(results) {
      const tx = db.transaction('results', 'readwrite');
      await writeAll(tx, results.map((result) => () => tx.store.put(result)));
    },
    async deleteResults(ids) {
      const tx = db.transaction('results', 'readwrite');
      await Promise.all([...ids.map((id) => tx.store.delete(id)), tx.done]);
    },
  };
}

/**
 * Issues a transaction's writes and waits for all of them. A write that throws at once (a value
 * that cannot be stored) would leave the writes issued before it to commit on their own: abort
 * the transaction then, so it is all or nothing in that case too.
 */
async function writeAll(tx: { abort(): void; readonly done: Promise<void> }, writes: readonly (() => Promise<unknown>)[]): Promise<void> {
  const issued: Promise<unknown>[] = [];
  try {
    for (const write of writes) issued.push(write());
  } catch (error) {
    tx.abort();
    await Promise.allSettled([...issued, tx.done]);
    throw error;
  }
  await Promise.all([...issued, tx.done]);
}
