/**
 * The app's two long-lived services, opened on first use: the engine worker (one per page: it
 * owns the GPU) and the projects database. Stores reach them through here; views never do.
 * An engine worker that crashes is replaced by a new one on the next call, not at once: a worker
 * that cannot even start (its script blocked or missing) would otherwise be restarted for ever.
 * Its notices, and the crash itself, go to the page (./engineNotices.ts).
 */
import { startEngine, type EngineClient } from '../engine/client';
import { showEngineNotice } from './engineNotices';
import { openProjectDb } from '../storage/projectDb';
import { projectStore, type ProjectStore } from '../storage/projectStore';

let engine: EngineClient | null = null;
let store: Promise<ProjectStore> | null = null;

export function engineClient(): EngineClient {
  if (engine) return engine;
  const client = startEngine();
  client.onNotice((notice) => {
    if (notice.kind === 'crashed' && engine === client) engine = null;
    showEngineNotice(notice);
  });
  engine = client;
  return client;
}

export function projects(): Promise<ProjectStore> {
  store ??= openProjectDb().then(projectStore);
  // A failed open (private mode without IndexedDB, a blocked upgrade) is retried on the next call.
  store.catch(() => (store = null));
  return store;
}

/** A new record id. */
export function newId(): string {
  return crypto.randomUUID();
}
