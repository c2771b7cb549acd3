/**
 * A full disk while saving, in a real browser's IndexedDB. The failure is injected in the two
 * shapes a write refused for quota takes: the object store's put throws a DOMException named
 * 'QuotaExceededError' (IDBObjectStore.prototype.put is patched for the one call), or every put
 * goes through and the transaction aborts at commit with that error (the test aborts the real
 * transaction once its last write has succeeded, and gives it the error the browser would).
 * Saving a model or results then fails with a clear message and keeps nothing of the failed
 * save: the previous model, the project's pointer to it and the earlier results are as they were.
 */
import { deleteDB } from 'idb';
import { afterEach, expect, test } from 'vitest';
import { failureMessage } from '../src/state/failure';
import { openProjectDb, type ProjectDb } from '../src/storage/projectDb';
import { projectStore } from '../src/storage/projectStore';
import { projectRecord, resultRecord, smallModel } from './helpers/records';

const FULL = "This browser's storage is full: free disk space, or delete old projects or results, and try again; nothing was saved.";

const opened: ProjectDb[] = [];

afterEach(async () => {
  for (const db of opened.splice(0)) {
    db.close();
    await deleteDB(db.name);
  }
});

async function freshStore() {
  const db = await openProjectDb(`pixood-quota-test-${crypto.randomUUID()}`);
  opened.push(db);
  const store = projectStore(db);
  await store.putProject(projectRecord('p1'));
  return { db, store };
}

/** The next put into `storeName` throws as a put over quota does; later puts run as usual. */
function failNextPut(storeName: string): { readonly failed: () => boolean } {
  const put = IDBObjectStore.prototype.put;
  let failed = false;
  IDBObjectStore.prototype.put = function (this: IDBObjectStore, ...args: Parameters<IDBObjectStore['put']>) {
    if (failed || this.name !== storeName) return put.apply(this, args);
    failed = true;
    IDBObjectStore.prototype.put = put;
    throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
  };
  return { failed: () => failed };
}

/**
 * The next transaction that puts into `storeName` fails at commit as one over quota does: its
 * puts succeed, and once the last of them has, it is aborted with a QuotaExceededError as its
 * error. Later transactions run as usual.
 */
function failNextCommit(storeName: string): { readonly failed: () => boolean } {
  const put = IDBObjectStore.prototype.put;
  let target: IDBTransaction | null = null;
  let pending = 0;
  let failed = false;
  IDBObjectStore.prototype.put = function (this: IDBObjectStore, ...args: Parameters<IDBObjectStore['put']>) {
    const request = put.apply(this, args);
    if (!target && this.name === storeName) target = this.transaction;
    const tx = this.transaction;
    if (tx !== target) return request;
    pending++;
    request.addEventListener('success', () => {
      if (--pending > 0) return;
      IDBObjectStore.prototype.put = put;
      failed = true;
      Object.defineProperty(tx, 'error', { value: new DOMException('The quota has been exceeded.', 'QuotaExceededError') });
      tx.abort();
    });
    return request;
  };
  return { failed: () => failed };
}

test('a model saved over quota fails with a clear message; the previous model stays current and no new record is kept', async () => {
  const { db, store } = await freshStore();
  await store.saveModel('p1', 'm1', smallModel('2026-01-01T00:00:00.000Z'));

  const fault = failNextPut('models');
  const failure = await store.saveModel('p1', 'm2', smallModel('2026-02-01T00:00:00.000Z')).then(
    () => null,
    (error: unknown) => error,
  );
  expect(fault.failed(), 'the injected failure fired').toBe(true);
  expect(failure).toBeInstanceOf(DOMException);
  expect(failureMessage(failure)).toBe(FULL);

  expect((await store.getProject('p1'))?.modelId, "the project's pointer").toBe('m1');
  expect((await db.getAllKeys('models')).sort(), 'model records').toEqual(['m1']);
  expect((await db.get('models', 'm1'))?.model.createdAt, 'the previous model, whole').toBe('2026-01-01T00:00:00.000Z');

  await store.saveModel('p1', 'm2', smallModel('2026-02-01T00:00:00.000Z'));
  expect((await store.getProject('p1'))?.modelId, 'with room again, the next save lands').toBe('m2');
});

test('results saved over quota fail with a clear message, and the earlier results are all kept', async () => {
  const { db, store } = await freshStore();
  await store.saveModel('p1', 'm1', smallModel('2026-01-01T00:00:00.000Z'));
  await store.addResults([resultRecord('r1', 'p1', 'm1'), resultRecord('r2', 'p1', 'm1')]);

  const fault = failNextPut('results');
  const failure = await store.addResults([resultRecord('r3', 'p1', 'm1'), resultRecord('r4', 'p1', 'm1')]).then(
    () => null,
    (error: unknown) => error,
  );
  expect(fault.failed(), 'the injected failure fired').toBe(true);
  expect(failureMessage(failure)).toBe(FULL);
  expect((await db.getAllKeys('results')).sort(), 'result records').toEqual(['r1', 'r2']);
  expect((await store.listResults('p1')).map((r) => r.imageScore), 'the earlier results, whole').toEqual([0.42, 0.42]);
});

test('a save that fails on its second write (the project pointer) keeps nothing of the first: no orphan model record', async () => {
  const { db, store } = await freshStore();
  await store.saveModel('p1', 'm1', smallModel('2026-01-01T00:00:00.000Z'));

  const fault = failNextPut('projects');
  const failure = await store.saveModel('p1', 'm2', smallModel('2026-02-01T00:00:00.000Z')).then(
    () => null,
    (error: unknown) => error,
  );
  expect(fault.failed(), 'the injected failure fired').toBe(true);
  expect(failureMessage(failure)).toBe(FULL);
  expect((await store.getProject('p1'))?.modelId, "the project's pointer").toBe('m1');
  expect((await db.getAllKeys('models')).sort(), 'model records').toEqual(['m1']);
});

test('a model whose writes go through but whose transaction is refused at commit for quota fails the same way, keeping nothing', async () => {
  const { db, store } = await freshStore();
  await store.saveModel('p1', 'm1', smallModel('2026-01-01T00:00:00.000Z'));

  const fault = failNextCommit('models');
  const failure = await store.saveModel('p1', 'm2', smallModel('2026-02-01T00:00:00.000Z')).then(
    () => null,
    (error: unknown) => error,
  );
  expect(fault.failed(), 'the injected abort fired').toBe(true);
  expect(failure, 'the save was refused').toBeInstanceOf(DOMException);
  expect((failure as DOMException).name, 'the error the save rejected with').toBe('QuotaExceededError');
  expect(failureMessage(failure)).toBe(FULL);
  expect((await store.getProject('p1'))?.modelId, "the project's pointer").toBe('m1');
  expect((await db.getAllKeys('models')).sort(), 'model records').toEqual(['m1']);

  await store.saveModel('p1', 'm2', smallModel('2026-02-01T00:00:00.000Z'));
  expect((await store.getProject('p1'))?.modelId, 'with room again, the next save lands').toBe('m2');
});
