/**
 * Turns for the worker's event loop during long computations. An awaited ONNX Runtime run or a
 * chain of resolved promises never returns to the event loop, so a job's cancel message would
 * wait until the job ends: a step wrapped here lets queued messages in every few tens of
 * milliseconds, and a cancel stops it before its next step.
 */
import { checkpoint } from '../core/checkpoint';

/** How often a long computation gives the event loop a turn. */
const TURN_MS = 50;

/** `step` that passes a checkpoint once TURN_MS have passed since the last, and rejects with the signal's reason once it is aborted. */
export function withTurns<Args extends unknown[], Result>(step: (...args: Args) => Result | Promise<Result>, signal?: AbortSignal): (...args: Args) => Promise<Result> {
  let last = performance.now();
  return async (...args) => {
    if (performance.now() - last >= TURN_MS) {
      await checkpoint(signal);
      last = performance.now();
    }
    signal?.throwIfAborted();
    return step(...args);
  };
}
