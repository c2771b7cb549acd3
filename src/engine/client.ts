/**
 * The main thread's handle on the engine worker. Short calls are plain promises; long ones
 * return a Job: its id, its result, and `cancel()`. Progress arrives through a callback.
 *
 * A worker that dies (an uncaught error inside it: the engine's state is then unknown) is
 * terminated, every call still running rejects with EngineError 'engine-crashed' naming the work
 * lost, later calls reject the same way, and listeners get a 'crashed' notice: the app then
 * starts a new client on its next call (src/state/services.ts).
 */
import * as Comlink from 'comlink';
import type { EngineApi, EngineNotice, JobId } from './api';
import { EngineError, installErrorTransfer } from './errors';

export interface Job<T> {
  readonly id: JobId;
  /** Resolves with the job's result; rejects with an EngineError ('cancelled' after `cancel()`). */
  readonly result: Promise<T>;
  cancel(): void;
}

/**
 * Every call of the engine, with what the page would lose if the worker died during it: long
 * calls (a string) run as Jobs, short ones (null) are plain promises. `cancel` and
 * `watchNotices` are the client's own business. A call added to EngineApi fails to compile here
 * until it is listed.
 */
const CALLS = {
  info: null,
  presets: null,
  listModels: null,
  deleteModel: null,
  modelBytes: null,
  setPathPreference: null,
  pathChoice: null,
  debugLoseDevice: null,
  debugCrash: null,
  addModelFromUrl: 'model download',
  addModelFromFile: 'model import',
  useBackbone: 'backbone loading',
  extractFeatures: 'feature extraction',
  train: 'training',
  inspect: 'inspection',
  refreshEtalons: 'etalon refresh',
} as const satisfies Record<Exclude<keyof EngineApi, 'cancel' | 'watchNotices'>, string | null>;

type Calls = typeof CALLS;
type LongCall = { [K in keyof Calls]: Calls[K] extends string ? K : never }[keyof Calls];
type ShortCall = Exclude<keyof Calls, LongCall>;
/** A long call as the page sees it: the job id is the client's, the result a Job. */
type AsJob<F> = F extends (job: JobId, ...args: infer A) => Promise<infer R> ? (...args: A) => Job<R> : never;

/** The main thread's engine: EngineApi's calls, long ones as Jobs, with notices and an off switch. */
export type EngineClient = Pick<EngineApi, ShortCall> & { readonly [K in LongCall]: AsJob<EngineApi[K]> } & {
  /** Calls `listener` with each notice, the engine's (a GPU reset) and this client's (a crash); returns what stops it. */
  onNotice(listener: (notice: EngineNotice) => void): () => void;
  /** Stops the worker; pending calls never settle. */
  terminate(): void;
};

/** What a crash cost, for the page: `lost` names the work that was running ('training', …). */
function crashMessage(lost: readonly string[]): string {
  const kinds = [...new Set(lost)];
  const what = kinds.length === 0 ? 'Nothing was running' : `The ${kinds.join(' and the ')} in progress ${kinds.length > 1 ? 'were' : 'was'} lost`;
  return `The engine stopped unexpectedly; it starts again with your next action. ${what}; your project and saved models are safe.`;
}

/** Starts the engine worker (or wraps one given, e.g. in tests) and returns its client. */
export function startEngine(worker: Worker = new Worker(new URL('../../workers/engine.worker.ts', import.meta.url), { type: 'module', name: 'pixood-engine' })): EngineClient {
  installErrorTransfer();
  const remote = Comlink.wrap<EngineApi>(worker);
  let nextJob = 0;
  const listeners = new Set<(notice: EngineNotice) => void>();
  const emit = (notice: EngineNotice) => listeners.forEach((listener) => listener(notice));
  void remote.watchNotices(Comlink.proxy(emit));

  /** Calls the worker has not answered yet; `lost` names the work a crash would lose (null: a short call). */
  const running = new Set<{ readonly lost: string | null; readonly reject: (error: EngineError) => void }>();
  let crashed: EngineError | null = null;

  worker.addEventListener('error', (event) => {
    // Handled here: the page's own error handlers must not see the worker's error as theirs.
    event.preventDefault();
    if (crashed) return;
    worker.terminate();
    const calls = [...running];
    running.clear();
    const message = crashMessage(calls.flatMap((call) => (call.lost ? [call.lost] : [])));
    crashed = new EngineError('engine-crashed', message);
    for (const call of calls) call.reject(crashed);
    emit({ kind: 'crashed', message });
  });

  /** The worker's answer, or EngineError 'engine-crashed' if the worker dies first. */
  function call<T>(lost: string | null, start: () => Promise<T>): Promise<T> {
    if (crashed) return Promise.reject(crashed);
    return new Promise<T>((resolve, reject) => {
      const entry = { lost, reject };
      running.add(entry);
      start().then(
        (value) => {
          running.delete(entry);
          resolve(value);
        },
        (error: unknown) => {
          running.delete(entry);
          reject(error);
        },
      );
    });
  }

  function job<T>(lost: string, start: (id: JobId) => Promise<T>): Job<T> {
    const id = `job-${++nextJob}`;
    return { id, result: call(lost, () => start(id)), cancel: () => void remote.cancel(id) };
  }
  // Callbacks (progress) cannot be cloned to the worker: they travel as proxies.
  const sendable = (args: readonly unknown[]) => args.map((arg) => (typeof arg === 'function' ? Comlink.proxy(arg) : arg));
  const remoteCalls = remote as unknown as Record<string, (...args: unknown[]) => Promise<unknown>>;
  const calls = Object.fromEntries(
    Object.entries(CALLS).map(([name, lost]) => [
      name,
      lost === null ? (...args: unknown[]) => call(null, () => remoteCalls[name](...args)) : (...args: unknown[]) => job(lost, (id) => remoteCalls[name](id, ...sendable(args))),
    ]),
  ) as Pick<EngineApi, ShortCall> & { readonly [K in LongCall]: AsJob<EngineApi[K]> };

  return {
    ...calls,
    onNotice: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    terminate: () => {
      remote[Comlink.releaseProxy]();
      worker.terminate();
    },
  };
}
