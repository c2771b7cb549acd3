/**
 * `npm run build:filter-bank`: compiles the built-in backbone's CPU kernel
 * (src/backbone/builtin/filterBank.as.ts, AssemblyScript) to wasm SIMD and writes its bytes as
 * src/backbone/builtin/filterBankWasm.ts, so the app and Node load it with no bundler support
 * for .wasm. filterBank.test.ts checks that the committed file is what this builds.
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { compileFilterBank, filterBankModuleText } from './assemblyScript';

const target = fileURLToPath(new URL('../src/backbone/builtin/filterBankWasm.ts', import.meta.url));
const wasm = compileFilterBank();
writeFileSync(target, filterBankModuleText(wasm));
console.log(`wrote ${target}: ${wasm.length} bytes of wasm`);
