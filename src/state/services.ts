/**
 * The app's two long-lived services, opened on first use: the engine worker (one per page: it
 * owns the GPU) and the projects database (its projects and the station's audit log). The
 * workflows (src/app) reach them through here, and the projects store its database; only the
 * workflows call the engine, and views reach neither.
 * An engine worker that crashes is replaced by a new one on the next call, not at once: a worker
 * that cannot even start (its script blocked or missing) would otherwise be restarted for ever.
 * Its notices, and the crash itself, go to the page (./engineNotices.ts).
 */
import { startEngine, type EngineClient } from '../engine/client';
import { showEngineNotice } from './engineNotices';
import { auditLog, type AuditLog } from '../storage/auditLog';
import { openProjectDb, type ProjectDb } from '../storage/projectDb';
import { projectStore, type ProjectStore } from '../storage/projectStore';

let engine: EngineClient | null = null;
let db: Promise<ProjectDb> | null = null;

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

function database(): Promise<ProjectDb> {
  db ??= openProjectDb();
  // A failed open (private mode without IndexedDB, a blocked upgrade) is retried on the next call.
  db.catch(() => (db = null));
  return db;
}

export const projects = (): Promise<ProjectStore> => database().then(projectStore);

/** The station's audit log, in the projects database. */
export const audit = (): Promise<AuditLog> => database().then(auditLog);

/** A new record id. */
export function newId(): string {
  return crypto.randomUUID();
}
