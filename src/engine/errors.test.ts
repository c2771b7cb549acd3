import { transferHandlers } from 'comlink';
import { describe, expect, it } from 'vitest';
import { EngineError, installErrorTransfer } from './errors';

describe('EngineError across comlink', () => {
  installErrorTransfer();
  const handler = transferHandlers.get('throw')!;
  /** What comlink does with a thrown value: wrap, serialise on one side, deserialise (which throws) on the other. */
  const roundTrip = (value: unknown): unknown => {
    const [wire] = handler.serialize({ value });
    try {
      handler.deserialize(structuredClone(wire));
    } catch (error) {
      return error;
    }
    return undefined;
  };

  it('keeps the class, the code and the message', () => {
    const back = roundTrip(new EngineError('token-grid', 'The model returns 3 tokens for a 28×28 image.'));
    expect(back).toBeInstanceOf(EngineError);
    expect(back).toMatchObject({ code: 'token-grid', message: 'The model returns 3 tokens for a 28×28 image.', name: 'EngineError' });
  });

  it('leaves other errors to comlink, and installs once', () => {
    installErrorTransfer();
    const back = roundTrip(new TypeError('boom'));
    expect(back).toBeInstanceOf(Error);
    expect(back).not.toBeInstanceOf(EngineError);
    expect((back as Error).message).toBe('boom');
  });
});
