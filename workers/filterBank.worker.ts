/**
 * The built-in backbone's fused kernel (src/backbone/builtin/filterBank.ts) on a thread of its
 * own, opened by the engine worker: while the engine scores one image (nearest etalons,
 * calibration, maps), the next image's features are computed here, on the machine's other core.
 */
import * as Comlink from 'comlink';
import { openFilterBank } from '../src/backbone/builtin/filterBank';
import type { FilterBankWorkerApi } from '../src/engine/api';

const bank = openFilterBank();

const api: FilterBankWorkerApi = {
  async ready() {
    await bank;
  },
  async tokens(pixels, dims) {
    const tokens = (await bank).tokens(pixels, dims);
    return Comlink.transfer(tokens, [tokens.buffer as ArrayBuffer]);
  },
};

Comlink.expose(api);
