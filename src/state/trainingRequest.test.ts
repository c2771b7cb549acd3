import { describe, expect, it } from 'vitest';
import type { ImageRecord, ProjectRecord } from '../storage/projectRecords';
import { DEFAULT_EPSILON, DEFAULT_SETTINGS } from './settings';
import { trainingProblems, trainingRequest } from './trainingRequest';

const project = (extra: Partial<ProjectRecord> = {}): ProjectRecord => ({
  id: 'p',
  name: 'p',
  backboneId: 'b',
  backboneName: 'built-in',
  classes: [
    { key: 'k-cap', name: 'cap' },
    { key: 'k-label', name: 'label' },
  ],
  maskClasses: [],
  settings: DEFAULT_SETTINGS,
  modelId: null,
  epsilon: DEFAULT_EPSILON,
  alpha: 0.01,
  minDefectArea: 0,
  createdAt: '',
  ...extra,
});

const blob = new Blob(['x']);
const image = (id: string, extra: Partial<ImageRecord>): ImageRecord => ({ id, projectId: 'p', name: `${id}.png`, role: 'train', classKey: null, blob, thumbnail: blob, width: 1, height: 1, addedAt: '', ...extra });

describe('training request', () => {
  it('numbers classes in project order, keeps masks and their class table, and leaves test images out', () => {
    const p = project({ maskClasses: [{ value: 3, classKey: 'k-label' }, { value: 255, classKey: null }] });
    const request = trainingRequest(p, [
      image('a', { classKey: 'k-label' }),
      image('b', { classKey: 'k-cap' }),
      image('c', { mask: blob }),
      image('t', { role: 'test', defectType: 'scratch' }),
    ]);
    expect(request.classes).toEqual(['cap', 'label']);
    expect(request.images.map((i) => [i.name, i.classId, i.mask !== undefined])).toEqual([
      ['a.png', 1, false],
      ['b.png', 0, false],
      ['c.png', -1, true],
    ]);
    expect(request.maskClasses).toEqual({ 3: 1 });
    expect(request.backboneId).toBe('b');
  });

  it('sends the training images in name order, whatever order the records come in', () => {
    const names = ['good/010.png', 'good/002.png', 'Good/001.png', 'good/001.png'];
    const request = trainingRequest(project(), names.map((name, i) => ({ ...image(`r${i}`, { classKey: 'k-cap' }), name })));
    expect(request.images.map((i) => i.name)).toEqual(['Good/001.png', 'good/001.png', 'good/002.png', 'good/010.png']);
  });

  it('says what is missing before training can start', () => {
    expect(trainingProblems(project({ classes: [] }), [])).toEqual(['Add a class of good images first.']);
    expect(trainingProblems(project(), [image('a', { classKey: 'k-cap' }), image('b', { classKey: 'k-cap' })])).toEqual(['The class “label” has no images: add some or remove the class.']);
    expect(trainingProblems(project(), [image('a', { classKey: 'k-cap' }), image('b', { classKey: 'k-label' })])).toEqual([]);
  });
});
