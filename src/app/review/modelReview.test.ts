import { describe, expect, it } from 'vitest';
import type { ModelRecord } from '../../storage/projectRecords';
import { versionChain } from './modelReview';

const record = (id: string, parentId?: string) => ({ id, projectId: 'p', model: {}, ...(parentId && { version: { parentId, at: '2026-12-07T00:00:00.000Z', change: `from ${parentId}` } }) }) as unknown as ModelRecord;

describe('versionChain', () => {
  it('follows parents from the current version back to the trained model', () => {
    const models = [record('m1'), record('m3', 'm2'), record('m2', 'm1'), record('other')];
    expect(versionChain(models, 'm3').map((m) => m.id)).toEqual(['m3', 'm2', 'm1']);
    expect(versionChain(models, 'm1').map((m) => m.id)).toEqual(['m1']);
  });

  it('stops where a parent is gone, and has nothing for no model', () => {
    expect(versionChain([record('m2', 'deleted')], 'm2').map((m) => m.id)).toEqual(['m2']);
    expect(versionChain([record('m1')], null)).toEqual([]);
  });
});
