/**
 * Turns for the worker's event loop during long computations. An awaited ONNX Runtime run or a
 * chain of resolved promises never returns to the event loop, so a job's cancel message would
 * wait until the job ends: a step wrapped here lets queued messages in every few tens of
 * milliseconds, and a cancel stops it before its next step.
 */

/** How often a long computation gives the event loop a turn. */
const TURN_MS = 50;

/** A function to await between steps: it yields (a macrotask) once TURN_MS have passed since the last yield. */
function turnTaker(): () => Promise<void> {
  let last = performance.now();
  return async () => {
    if (performance.now() - last < TURN_MS) return;
    await new Promise<void>((resolve) => setTimeout(resolve, 0));
    last = performance.now();
  };
}

/** `step` that takes a turn before each call, and rejects with the signal's reason once it is aborted. */
export function withTurns<Args extends unknown[], Result>(step: (...args: Args) => Result | Promise<Result>, signal?: AbortSignal): (...args: Args) => Promise<Result> {
  const turn = turnTaker();
  return async (...args) => {
    await turn();
    signal?.throwIfAborted();
    return step(...args);
  };
}
