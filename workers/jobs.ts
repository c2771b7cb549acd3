/** The engine's running jobs by id, each with the AbortController that `cancel` fires. */
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
   */
  async run<T, Progress = JobProgress>(id: JobId, onProgress: ((progress: Progress) => void) | undefined, work: (signal: AbortSignal, report: Report<Progress>) => Promise<T>): Promise<T> {
    if (this.running.has(id)) throw new EngineError('internal', `A job with id ${id} is already running.`);
    const controller = new AbortController();
    this.running.set(id, controller);
    let lastReport: unknown;
    const report: Report<Progress> = (progress) => {
      // Through comlink the callback returns a promise that settles once the main thread ran it.
      lastReport = onProgress?.(progress);
    };
    try {
      const result = await work(controller.signal, report);
      await lastReport;
      return result;
    } finally {
      this.running.delete(id);
    }
  }

  cancel(id: JobId): void {
    this.running.get(id)?.abort(new EngineError('cancelled', 'The job was cancelled.'));
  }
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
