import { describe, expect, it } from 'vitest';
import { Ahead } from './ahead';

describe('Ahead', () => {
  it('starts the work `depth` items ahead of the one taken, in order, and no further', async () => {
    const started: number[] = [];
    const ahead = new Ahead(async (i) => (started.push(i), i * 10), 5, 2, 1);
    expect(started, 'started from item 1, two ahead').toEqual([1, 2]);
    expect(await ahead.take()).toBe(10);
    expect(started, 'taking item 1 starts item 3').toEqual([1, 2, 3]);
    expect(await ahead.take()).toBe(20);
    expect(await ahead.take()).toBe(30);
    expect(started, 'no item past the last').toEqual([1, 2, 3, 4]);
    expect(await ahead.take()).toBe(40);
    expect(() => ahead.take()).toThrow('all 5 items were taken');
  });

  it('keeps a failure for its turn, where taking it rejects', async () => {
    const ahead = new Ahead(async (i) => {
      if (i === 0) throw new Error('item 0 is damaged');
      return i;
    }, 2, 2);
    await new Promise((resolve) => setTimeout(resolve, 0));
    await expect(ahead.take()).rejects.toThrow('item 0 is damaged');
    expect(await ahead.take()).toBe(1);
  });
});
