/** The engine's running jobs by id, each with the AbortController that `cancel` fires. */
import * as Comlink from 'comlink';
import type { JobId, JobProgress } from '../src/engine/api';
import { EngineError } from '../src/engine/errors';

/** Sends progress to the caller; returns at once (the report crosses to the main thread on its own). */
export type Report<Progress = JobProgress> = (progress: Progress) => void;

export class Jobs {
  private readonly running = new Map<JobId, AbortController>();

  /**
   * Registers `id` before `work` starts, so a cancel sent right after the call finds it. The
   * result is returned only after the caller has received every report: reports travel on
   * their own message port, so without waiting the result could overtake the last of them.
   * `onProgress` is released when the job ends (releaseCallback); a report after that is not sent.
   */
  async run<T, Progress = JobProgress>(id: JobId, onProgress: ((progress: Progress) => void) | undefined, work: (signal: AbortSignal, report: Report<Progress>) => Promise<T>): Promise<T> {
    if (this.running.has(id)) throw new EngineError('internal', `A job with id ${id} is already running.`);
    const controller = new AbortController();
    this.running.set(id, controller);
    let lastReport: unknown;
    let ended = false;
    const report: Report<Progress> = (progress) => {
      // A released proxy throws when called: a late report (a cancelled step winding down) is dropped instead.
      if (ended) return;
      // Through comlink the callback returns a promise that settles once the main thread ran it.
      lastReport = onProgress?.(progress);
    };
    try {
      const result = await work(controller.signal, report);
      await lastReport;
      return result;
    } finally {
      ended = true;
      this.running.delete(id);
      releaseCallback(onProgress);
    }
  }

  cancel(id: JobId): void {
    this.running.get(id)?.abort(new EngineError('cancelled', 'The job was cancelled.'));
  }
}

/**
 * Tells the page that a callback it sent (a comlink proxy) will not be called again. Until then
 * the page keeps its end of the proxy's port listening, and with it the callback and all its
 * closure holds (an inspection's maps, some 600 kB at 224 px); left to this worker's garbage
 * collector, that release comes at no set time (the station soak's page held 1 to 10 such
 * callbacks at a time). A plain function (a caller in the same thread) has nothing to release.
 */
export function releaseCallback(callback: unknown): void {
  (callback as Partial<Comlink.ProxyMethods> | undefined)?.[Comlink.releaseProxy]?.();
}

/**
 * Runs tasks one after another, in call order. Jobs that use the active backbone go through
 * one of these, so a job never sees its backbone released or replaced half-way.
 */
export class Serial {
  private tail: Promise<unknown> = Promise.resolve();

  run<T>(task: () => Promise<T>): Promise<T> {
    const result = this.tail.then(task);
    this.tail = result.catch(() => undefined);
    return result;
  }
}
