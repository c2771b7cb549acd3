/**
 * Projects: the list, the open project with its images and models, adding images (with the
 * files that were skipped and why), and the browser storage this takes.
 */
import { DEFAULT_ALPHA } from '../core/calibration/imageThreshold';
import { create } from 'zustand';
import { MAX_MASK_VALUES } from '../core/formats/maskPng';
import type { Resolution, TrainingSettings } from '../engine/api';
import type { ClassRecord, ImageRecord, ModelRecord, ProjectRecord } from '../storage/projectRecords';
import { requestPersistentStorage, storageUse, type StorageUse } from '../storage/storageQuota';
import type { IncomingFile, Rejection } from './intake/incoming';
import { imageRecords, type ImageFields } from './intake/imageRecords';
import { labelledPairs } from './intake/labelledPairs';
import { mvtecDataset } from './intake/mvtecLayout';
import type { TestSet } from './intake/testSet';
import { GOOD_TYPE } from '../core/metrics/evaluation';
import { checkDefectMask, readLabelMask } from './intake/readMask';
import { failureMessage } from './failure';
import { newId, projects } from './services';
import { DEFAULT_EPSILON, DEFAULT_SETTINGS } from './settings';

export interface OpenProject {
  readonly project: ProjectRecord;
  readonly images: readonly ImageRecord[];
  readonly models: readonly ModelRecord[];
}

/** Files being read into the project. */
export interface IntakeProgress {
  readonly label: string;
  readonly done: number;
  readonly total: number;
}

export interface ProjectsState {
  /** Null until first loaded. */
  readonly list: readonly ProjectRecord[] | null;
  readonly current: OpenProject | null;
  /** The id being opened (current may still be the previous project). */
  readonly opening: string | null;
  readonly intake: IntakeProgress | null;
  /** Files skipped by the latest additions. */
  readonly rejected: readonly Rejection[];
  /** The latest failure, in words. */
  readonly error: string | null;
  readonly storage: StorageUse | null;
}

export const useProjects = create<ProjectsState>(() => ({
  list: null,
  current: null,
  opening: null,
  intake: null,
  rejected: [],
  error: null,
  storage: null,
}));

const set = useProjects.setState;
const get = useProjects.getState;

/** Runs a change; a failure becomes the store's error instead of an unhandled rejection. */
async function attempt<T>(work: () => Promise<T>): Promise<T | undefined> {
  try {
    set({ error: null });
    return await work();
  } catch (error) {
    set({ error: failureMessage(error) });
    return undefined;
  }
}

export async function refreshProjects(): Promise<void> {
  await attempt(async () => {
    const list = await (await projects()).listProjects();
    set({ list: list.sort((a, b) => b.createdAt.localeCompare(a.createdAt)) });
  });
  void refreshStorage();
}

export async function refreshStorage(): Promise<void> {
  set({ storage: await storageUse() });
}

export async function requestPersistence(): Promise<boolean> {
  const granted = await requestPersistentStorage();
  await refreshStorage();
  return granted;
}

async function load(id: string): Promise<OpenProject | null> {
  const store = await projects();
  const project = await store.getProject(id);
  if (!project) return null;
  const [images, models] = await Promise.all([store.listImages(id), store.listModels(id)]);
  images.sort((a, b) => a.addedAt.localeCompare(b.addedAt) || a.name.localeCompare(b.name));
  models.sort((a, b) => b.model.createdAt.localeCompare(a.model.createdAt));
  return { project, images, models };
}

/** Opens a project (or reloads the open one); false if it does not exist. */
export async function openProject(id: string): Promise<boolean> {
  set({ opening: id });
  const loaded = await attempt(() => load(id));
  if (get().opening !== id) return loaded != null;
  set({ opening: null, ...(loaded !== undefined && { current: loaded }), ...(get().current?.project.id !== id && { rejected: [] }) });
  return loaded != null;
}

export function closeProject(): void {
  set({ current: null, rejected: [], error: null });
}

/** Reloads the open project from the database after a change. */
async function reload(): Promise<void> {
  const id = get().current?.project.id;
  if (!id) return;
  const loaded = await load(id);
  if (get().current?.project.id === id) set({ current: loaded });
}

export async function createProject(name: string, backbone: { id: string; name: string }, settings: TrainingSettings = DEFAULT_SETTINGS): Promise<ProjectRecord> {
  const project: ProjectRecord = {
    id: newId(),
    name,
    backboneId: backbone.id,
    backboneName: backbone.name,
    classes: [],
    maskClasses: [],
    settings,
    modelId: null,
    epsilon: DEFAULT_EPSILON,
    alpha: DEFAULT_ALPHA,
    minDefectArea: 0,
    createdAt: new Date().toISOString(),
  };
  await (await projects()).putProject(project);
  await refreshProjects();
  return project;
}

export async function deleteProject(id: string): Promise<void> {
  await attempt(async () => {
    await (await projects()).deleteProject(id);
    if (get().current?.project.id === id) closeProject();
    await refreshProjects();
  });
}

/** Changes a project's record: the open one's, or `projectId`'s (work that outlives a visit to its project). */
export async function updateProject(change: (project: ProjectRecord) => ProjectRecord, projectId?: string): Promise<void> {
  const id = projectId ?? get().current?.project.id;
  if (!id) return;
  await attempt(async () => {
    const updated = await (await projects()).updateProject(id, change);
    const current = get().current;
    if (current?.project.id === id) set({ current: { ...current, project: updated } });
    set({ list: get().list?.map((p) => (p.id === id ? updated : p)) ?? null });
  });
}

export const renameProject = (name: string) => updateProject((p) => ({ ...p, name }));
export const setSettings = (settings: TrainingSettings) => updateProject((p) => ({ ...p, settings }));
export const setResolution = (resolution: Resolution) => updateProject((p) => ({ ...p, resolution }));
export const setBackbone = (id: string, name: string) => updateProject((p) => ({ ...p, backboneId: id, backboneName: name }));

export async function addClass(name: string): Promise<string> {
  const key = newId();
  await updateProject((p) => ({ ...p, classes: [...p.classes, { key, name }] }));
  return key;
}

export const renameClass = (key: string, name: string) => updateProject((p) => ({ ...p, classes: p.classes.map((c) => (c.key === key ? { ...c, name } : c)) }));

/** Removes a class with its images; mask values that meant it are ignored from now on. */
export async function removeClass(key: string): Promise<void> {
  const images = get().current?.images.filter((i) => i.classKey === key) ?? [];
  await attempt(async () => (await projects()).deleteImages(images.map((i) => i.id)));
  await updateProject((p) => ({
    ...p,
    classes: p.classes.filter((c) => c.key !== key),
    maskClasses: p.maskClasses.map((m) => (m.classKey === key ? { ...m, classKey: null } : m)),
  }));
  await reload();
}

/** Which class a label mask value stands for (null: ignored). */
export const setMaskClass = (value: number, classKey: string | null) =>
  updateProject((p) => ({ ...p, maskClasses: p.maskClasses.map((m) => (m.value === value ? { ...m, classKey } : m)) }));

export async function removeImages(ids: readonly string[]): Promise<void> {
  await attempt(async () => (await projects()).deleteImages(ids));
  await reload();
  void refreshStorage();
}

export async function deleteModel(id: string): Promise<void> {
  await attempt(async () => (await projects()).deleteModel(id));
  await reload();
  void refreshStorage();
}

export const chooseModel = (id: string) => updateProject((p) => ({ ...p, modelId: id }));

export function dismissRejections(): void {
  set({ rejected: [] });
}

type Fields = (file: IncomingFile, size: { width: number; height: number }) => Promise<ImageFields | string>;

/** What storing `records` changes in their project's record (a class they make), or null for nothing. */
type ProjectChange = (records: readonly ImageRecord[]) => ((project: ProjectRecord) => ProjectRecord) | null;

/**
 * Reads files into records and stores them; what cannot be used is listed in `rejected`. Where
 * a drop makes a class or class-table rows, `projectChange` says how, and the change is stored
 * with the images in one transaction, in the project the drop was read into: a drop of unusable
 * files, or one that fails, leaves the project as it was.
 */
async function intake(label: string, files: readonly IncomingFile[], fields: Fields, earlier: readonly Rejection[] = [], projectChange?: ProjectChange): Promise<ImageRecord[]> {
  const projectId = get().current?.project.id;
  if (!projectId) return [];
  set({ intake: { label, done: 0, total: files.length }, rejected: [...earlier], error: null });
  try {
    const { records, rejected } = await imageRecords(projectId, files, fields, (done) => set({ intake: { label, done, total: files.length } }));
    set({ rejected: [...earlier, ...rejected] });
    if (records.length === 0) return [];
    await (await projects()).addImages(records, projectChange?.(records) ?? undefined);
    return records;
  } catch (error) {
    set({ error: failureMessage(error) });
    return [];
  } finally {
    set({ intake: null });
    await reload();
    void refreshStorage();
  }
}

/** Good images of one class. */
export async function addClassImages(classKey: string, files: readonly IncomingFile[]): Promise<void> {
  await intake('Reading images', files, async () => ({ role: 'train', classKey }));
}

/** A class key for `name`: the existing class of that name, or a new one that `add` puts in the project record. */
function classFor(name: string): { key: string; add: (project: ProjectRecord) => ProjectRecord } {
  const key = get().current?.project.classes.find((c) => c.name === name)?.key ?? newId();
  return { key, add: (p) => (p.classes.some((c) => c.key === key) ? p : { ...p, classes: [...p.classes, { key, name }] }) };
}

/** A test image's defect type and, for a defective one, its ground-truth mask (`path`, when it came from a folder, names it in messages). */
interface TestImageFields {
  readonly defectType: string;
  readonly mask: { readonly blob: Blob; readonly path?: string } | null;
}

/** Test images with their defect masks (a demo, or a dataset's test split). */
export async function addTestImages(files: readonly { file: IncomingFile; defectType: string; mask: Blob | null }[]): Promise<void> {
  const byFile = new Map(files.map((f) => [f.file, f]));
  await intake(
    'Reading test images',
    files.map((f) => f.file),
    async (file, size) => {
      const { defectType, mask } = byFile.get(file)!;
      return testFields({ defectType, mask: mask && { blob: mask } }, size);
    },
  );
}

async function testFields({ defectType, mask }: TestImageFields, size: { width: number; height: number }): Promise<ImageFields | string> {
  if (!mask) return { role: 'test', classKey: null, defectType };
  const check = await checkDefectMask(mask.blob);
  const itsMask = mask.path ? `Its mask ${mask.path}` : 'Its mask';
  if (!check.ok) return `${itsMask}: ${check.reason}`;
  if (check.width !== size.width || check.height !== size.height) return `${itsMask} is ${check.width}×${check.height} pixels, the image ${size.width}×${size.height}: they must be the same size.`;
  // The mask is the truth: one that marks no pixel says the image is good, whatever its folder.
  if (!check.defective) return { role: 'test', classKey: null, defectType: GOOD_TYPE };
  return { role: 'test', classKey: null, defectType, mask: mask.blob };
}

/** An MVTec-style folder: train/good becomes a class (named after the product), test/ and ground_truth/ are kept for evaluation. */
export async function addMvtecFolder(files: readonly IncomingFile[]): Promise<void> {
  await addDataset(mvtecDataset(files), true);
}

/**
 * A labelled test set (testSet.ts) into the project's test images, its train/ images left out;
 * images already among them (by name) are not added twice. The files skipped, with reasons.
 */
export async function addTestSet(dataset: TestSet): Promise<readonly Rejection[]> {
  return addDataset(dataset, false);
}

async function addDataset(dataset: TestSet, withTraining: boolean): Promise<readonly Rejection[]> {
  const current = get().current;
  if (!current) return [];
  const cls = classFor(productName(dataset.category));
  const known = new Set(current.images.filter((i) => i.role === 'test').map((i) => i.name));
  const tests = new Map(dataset.test.filter((t) => !known.has(t.file.path)).map((t) => [t.file, t]));
  const train = withTraining ? dataset.train : [];
  await intake(
    `Reading ${dataset.category ?? 'the test set'}`,
    [...train, ...tests.keys()],
    async (file, size) => {
      const test = tests.get(file);
      if (test) return testFields({ defectType: test.defectType, mask: test.mask && { blob: test.mask.file, path: test.mask.path } }, size);
      return { role: 'train', classKey: cls.key };
    },
    dataset.rejected,
    (records) => (records.some((r) => r.role === 'train') ? cls.add : null),
  );
  return get().rejected;
}

/** A class's name from its folder: the product's folder, or the project's name where the folder is only "good" or unknown. */
function productName(folder: string | null): string {
  return folder && folder.toLowerCase() !== GOOD_TYPE ? folder : (get().current?.project.name ?? GOOD_TYPE);
}

/**
 * Images with label masks. Every mask value seen for the first time gets a row in the class
 * table: a new class named after the value, except 255, which segmentation datasets use for
 * "not annotated" and which is ignored until the person says otherwise. A mask that would take
 * the table past MAX_MASK_VALUES values is refused.
 */
export async function addLabelledImages(files: readonly IncomingFile[]): Promise<void> {
  const { pairs, rejected } = labelledPairs(files);
  const masks = new Map(pairs.map((p) => [p.image, p.mask]));
  const known = new Set(get().current?.project.maskClasses.map((m) => m.value));
  const fresh = new Set<number>();
  await intake('Reading images and label masks', pairs.map((p) => p.image), async (image, size) => {
    const mask = masks.get(image)!;
    const check = await readLabelMask(mask.file);
    if (!check.ok) return `Its mask ${mask.path}: ${check.reason}`;
    if (check.width !== size.width || check.height !== size.height) return `Its mask ${mask.path} is ${check.width}×${check.height} pixels, the image ${size.width}×${size.height}: they must be the same size.`;
    const added = [...check.pixelsPerValue.keys()].filter((v) => !known.has(v) && !fresh.has(v));
    if (known.size + fresh.size + added.length > MAX_MASK_VALUES) {
      return `Its mask ${mask.path} has values the class table does not hold yet (${added.slice(0, 8).join(', ')}${added.length > 8 ? ', …' : ''}), and with them the table would pass ${MAX_MASK_VALUES} values.`;
    }
    for (const value of added) fresh.add(value);
    return { role: 'train', classKey: null, mask: mask.file };
  }, rejected, () => (fresh.size === 0 ? null : withMaskValues([...fresh])));
}

/** The project with a class-table row for each new mask value: a new class "class <value>", or ignored for 255. */
function withMaskValues(fresh: readonly number[]): (project: ProjectRecord) => ProjectRecord {
  return (p) => {
    const values = fresh.filter((v) => !p.maskClasses.some((m) => m.value === v)).sort((a, b) => a - b);
    const classes: ClassRecord[] = values.filter((v) => v !== 255).map((v) => ({ key: newId(), name: `class ${v}` }));
    const rows = values.map((value) => ({ value, classKey: value === 255 ? null : classes.find((c) => c.name === `class ${value}`)!.key }));
    return { ...p, classes: [...p.classes, ...classes], maskClasses: [...p.maskClasses, ...rows] };
  };
}

/**
 * Folders of good images, one class per top-level folder (named after it; an existing class of
 * that name gets the images); files dropped without a folder, or a folder named "good", go to a
 * class named after the project.
 */
export async function addClassFolders(files: readonly IncomingFile[]): Promise<void> {
  const groups = new Map<string, IncomingFile[]>();
  for (const file of files) {
    const slash = file.path.indexOf('/');
    const name = productName(slash > 0 ? file.path.slice(0, slash) : null);
    groups.set(name, [...(groups.get(name) ?? []), file]);
  }
  let earlier: readonly Rejection[] = [];
  for (const [name, group] of groups) {
    const cls = classFor(name);
    await intake('Reading images', group, async () => ({ role: 'train', classKey: cls.key }), earlier, () => cls.add);
    // Each folder's skipped files are listed after the ones before it.
    earlier = get().rejected;
  }
}
