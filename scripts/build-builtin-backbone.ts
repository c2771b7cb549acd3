/**
 * Writes public/models/builtin-backbone.onnx from its generator, so the committed file is
 * always what src/backbone/builtin/builtinBackbone.ts builds (a test compares the bytes).
 * Run with `npm run build:backbone`.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { buildBuiltinBackbone } from '../src/backbone/builtin/builtinBackbone';

const target = fileURLToPath(new URL('../public/models/builtin-backbone.onnx', import.meta.url));
const bytes = buildBuiltinBackbone();
mkdirSync(fileURLToPath(new URL('../public/models/', import.meta.url)), { recursive: true });
writeFileSync(target, bytes);
console.log(`wrote ${target} (${bytes.length} bytes)`);
