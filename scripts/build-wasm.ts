/**
 * `npm run build:wasm`: compiles every AssemblyScript kernel (scripts/assemblyScript.ts lists
 * them) to wasm SIMD and writes the module that holds its bytes.
 */
import { writeFileSync } from 'node:fs';
import { compileAssemblyScript, fromRoot, kernelModuleText, WASM_KERNELS } from './assemblyScript';

for (const kernel of WASM_KERNELS) {
  const wasm = compileAssemblyScript(fromRoot(kernel.source));
  writeFileSync(fromRoot(kernel.module), kernelModuleText(kernel, wasm));
  console.log(`wrote ${kernel.module}: ${wasm.length} bytes of wasm`);
}
