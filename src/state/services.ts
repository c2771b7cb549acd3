/**
 * The app's two long-lived services, opened on first use: the engine worker (one per page: it
 * owns the GPU) and the projects database. Stores reach them through here; views never do.
 */
import { startEngine, type EngineClient } from '../engine/client';
import { openProjectDb } from '../storage/projectDb';
import { projectStore, type ProjectStore } from '../storage/projectStore';

let engine: EngineClient | null = null;
let store: Promise<ProjectStore> | null = null;

export function engineClient(): EngineClient {
  engine ??= startEngine();
  return engine;
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
