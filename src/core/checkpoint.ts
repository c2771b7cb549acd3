/**
 * A point where long work may stop. Awaited promises and ONNX Runtime runs never return to the
 * event loop, so a cancel message (or an abort) queued behind them waits until the work ends:
 * a checkpoint gives the loop one turn, then stops the work if its signal was aborted meanwhile.
 */
export async function checkpoint(signal?: AbortSignal): Promise<void> {
  await new Promise<void>((resolve) => setTimeout(resolve, 0));
  signal?.throwIfAborted();
}
