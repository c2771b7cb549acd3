/** Any failure as a sentence for the page: what happened, and where it helps, what to do. */
import { EngineError } from '../engine/errors';

export function failureMessage(error: unknown): string {
  if (error instanceof EngineError) return error.message;
  if (error instanceof DOMException && error.name === 'QuotaExceededError') {
    return "This browser's storage is full: free disk space, or delete old projects or results, and try again; nothing was saved.";
  }
  if (error instanceof DOMException && error.name === 'InvalidStateError') {
    return 'The project database was closed, probably because a newer version of the app opened in another tab. Reload the page.';
  }
  if (error instanceof Error) return error.message;
  return String(error);
}

/** True when a job ended because the person cancelled it. */
export function isCancelled(error: unknown): boolean {
  return error instanceof EngineError && error.code === 'cancelled';
}

/** True when a job ended because the engine crashed: the engine's notice has said so already. */
export function isEngineCrash(error: unknown): boolean {
  return error instanceof EngineError && error.code === 'engine-crashed';
}
