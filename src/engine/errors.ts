/**
 * The engine's one error type, the same on both sides of the worker boundary.
 *
 * comlink clones a thrown Error as { message, name, stack } and drops everything else, so the
 * `code` would be lost: `installErrorTransfer` replaces comlink's "throw" transfer handler on
 * each side (the worker and the client both import this module) to carry EngineErrors whole.
 */
import { transferHandlers, type TransferHandler } from 'comlink';
import type { ModelErrorCode } from '../backbone/errors';
import type { PipelineErrorCode } from '../pipeline/errors';

export type EngineErrorCode =
  /** Everything a model check, download or storage can report (src/backbone/errors.ts). */
  | ModelErrorCode
  /** Everything training and inspection can refuse (src/pipeline/errors.ts): bad images or masks, settings, no data. */
  | PipelineErrorCode
  /** The job was cancelled by the person (or the app). */
  | 'cancelled'
  /** The engine worker died while the call was running; the client starts a new one on next use. */
  | 'engine-crashed'
  /** Features were asked for before a backbone was chosen. */
  | 'no-backbone'
  /** A bug or an unexpected browser failure; the message says what happened. */
  | 'internal';

export class EngineError extends Error {
  override readonly name = 'EngineError';
  constructor(
    readonly code: EngineErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/** What crosses the boundary when an EngineError is thrown. */
interface SerializedThrow {
  readonly engineError?: { readonly code: EngineErrorCode; readonly message: string };
  readonly other?: unknown;
}

/** Idempotent; both sides must have called it before the first call crosses. */
export function installErrorTransfer(): void {
  const fallback = transferHandlers.get('throw') as TransferHandler<{ value: unknown }, unknown>;
  if ((fallback as { engine?: true }).engine) return;
  const handler: TransferHandler<{ value: unknown }, SerializedThrow> & { engine: true } = {
    engine: true,
    canHandle: (value): value is { value: unknown } => fallback.canHandle(value),
    serialize(thrown) {
      if (thrown.value instanceof EngineError) {
        return [{ engineError: { code: thrown.value.code, message: thrown.value.message } }, []];
      }
      const [other, transferables] = fallback.serialize(thrown);
      return [{ other }, transferables];
    },
    deserialize(serialized) {
      if (serialized.engineError) throw new EngineError(serialized.engineError.code, serialized.engineError.message);
      return fallback.deserialize(serialized.other);
    },
  };
  transferHandlers.set('throw', handler);
}
