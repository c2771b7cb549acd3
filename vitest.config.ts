import { defineConfig } from 'vitest/config';
import { playwright } from '@vitest/browser-playwright';

// Headless Chromium from the system (never a downloaded browser), with WebGPU enabled.
// On machines without a GPU it is SwiftShader: right for correctness, not for speed.
const chromium = playwright({
  launchOptions: {
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--enable-unsafe-webgpu',
      '--no-sandbox',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  },
});

export default defineConfig({
  test: {
    testTimeout: 120_000,
    projects: [
      {
        test: {
          name: 'unit',
          include: ['src/**/*.test.ts', 'workers/**/*.test.ts', 'scripts/**/*.test.ts', 'fixtures/**/*.test.ts', '*.test.ts'],
          environment: 'node',
          testTimeout: 120_000,
        },
      },
      {
        server: {
          headers: {
            'Cross-Origin-Opener-Policy': 'same-origin',
            'Cross-Origin-Embedder-Policy': 'require-corp',
          },
        },
        optimizeDeps: { exclude: ['onnxruntime-web'], include: ['zustand', 'idb', 'comlink', 'fflate'] },
        test: {
          name: 'browser',
          include: ['browser/**/*.test.ts'],
          // The files share one origin, so one IndexedDB and one model library: they run one
          // after another, so no file's set-up (a path preference, a deleted model) leaks into another's.
          fileParallelism: false,
          testTimeout: 300_000,
          // Compiling WGSL pipelines on SwiftShader under load can take tens of seconds.
          hookTimeout: 300_000,
          browser: {
            enabled: true,
            headless: true,
            provider: chromium,
            instances: [{ browser: 'chromium' }],
            screenshotFailures: false,
          },
        },
      },
    ],
  },
});
