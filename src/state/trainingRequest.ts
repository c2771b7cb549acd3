/**
 * A project's training request: its classes in order, its training images with class ids and
 * label masks, and the class table of the masks. And what stands in the way of training.
 */
import type { TrainingRequest } from '../engine/api';
import type { ImageRecord, ProjectRecord } from '../storage/projectRecords';

/** Reasons the project cannot be trained yet, in words; empty when it can. */
export function trainingProblems(project: ProjectRecord, images: readonly ImageRecord[]): string[] {
  const train = images.filter((i) => i.role === 'train');
  if (project.classes.length === 0) return ['Add a class of good images first.'];
  const problems: string[] = [];
  const labelled = train.some((i) => i.mask);
  for (const c of project.classes) {
    const own = train.filter((i) => i.classKey === c.key).length;
    const inMasks = labelled && project.maskClasses.some((m) => m.classKey === c.key);
    if (own === 0 && !inMasks) problems.push(`The class “${c.name}” has no images: add some or remove the class.`);
  }
  if (train.length === 1 && project.classes.length === 1) problems.push('One image is too few to learn what normal looks like: add a few more.');
  return problems;
}

export function trainingRequest(project: ProjectRecord, images: readonly ImageRecord[]): TrainingRequest {
  const index = new Map(project.classes.map((c, i) => [c.key, i]));
  const maskClasses: Record<number, number> = {};
  for (const { value, classKey } of project.maskClasses) {
    if (classKey !== null && index.has(classKey)) maskClasses[value] = index.get(classKey)!;
  }
  return {
    classes: project.classes.map((c) => c.name),
    images: images
      .filter((i) => i.role === 'train')
      // By name, not by record id (random): the same images train the same model, here and in `npm run eval`.
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
      .map((i) => ({ name: i.name, blob: i.blob, classId: i.classKey === null ? -1 : (index.get(i.classKey) ?? -1), ...(i.mask && { mask: i.mask }) })),
    backboneId: project.backboneId,
    settings: project.settings,
    ...(project.maskClasses.length > 0 && { maskClasses }),
  };
}
