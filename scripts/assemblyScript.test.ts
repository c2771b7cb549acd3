import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compileAssemblyScript, fromRoot, kernelModuleText, WASM_KERNELS } from './assemblyScript';

describe('AssemblyScript kernels', () => {
  for (const kernel of WASM_KERNELS) {
    it(`${kernel.module} is what ${kernel.source} compiles to`, () => {
      const expected = kernelModuleText(kernel, compileAssemblyScript(fromRoot(kernel.source)));
      expect(readFileSync(fromRoot(kernel.module), 'utf8') === expected, `${kernel.module} is stale; regenerate it with: npm run build:wasm`).toBe(true);
    }, 60_000);
  }
});
