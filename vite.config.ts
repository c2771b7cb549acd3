import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';
import { VitePWA } from 'vite-plugin-pwa';

// Cross-origin isolation lets ONNX Runtime's wasm backend use threads (SharedArrayBuffer).
const isolation = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

/**
 * The Content Security Policy: scripts and styles only from the app itself (plus compiling its
 * own WebAssembly), network only to the app and to model addresses over https or on this
 * machine, nothing embedded, nothing embedding it, nothing sent anywhere else.
 */
const POLICY: readonly (readonly [directive: string, ...sources: string[]])[] = [
  ['default-src', "'self'"],
  // ONNX Runtime compiles its .wasm; that is all 'wasm-unsafe-eval' allows (no eval of JavaScript).
  ['script-src', "'self'", "'wasm-unsafe-eval'"],
  ['worker-src', "'self'"],
  // Models come from addresses the person confirms: any https host, or a server on this machine.
  ['connect-src', "'self'", 'https:', 'http://localhost:*', 'http://127.0.0.1:*'],
  // Images and heatmaps are shown from object URLs.
  ['img-src', "'self'", 'blob:', 'data:'],
  // React's style props go through the CSSOM, which the policy leaves alone; <style> tags would be refused.
  ['style-src', "'self'"],
  ['object-src', "'none'"],
  ['base-uri', "'self'"],
  ['form-action', "'none'"],
  ['frame-ancestors', "'none'"],
];

/** Browsers ignore these in a <meta> policy (and Chromium logs an error for each). */
const HEADER_ONLY = new Set(['frame-ancestors']);

function contentSecurityPolicy(delivery: 'header' | 'meta'): string {
  return POLICY.filter(([directive]) => delivery === 'header' || !HEADER_ONLY.has(directive))
    .map((sources) => sources.join(' '))
    .join('; ');
}

/**
 * The policy travels twice. The built page carries it as its first <meta>, so a host that sends
 * no headers still applies it; `vite preview` also sends it as a header, because a worker's
 * policy comes from the worker script's own response, never from the page. The dev server sends
 * neither: React refresh needs its inline preamble there.
 */
function cspMetaTag(): Plugin {
  return {
    name: 'pixood-csp-meta',
    apply: 'build',
    transformIndexHtml: () => [{ tag: 'meta', attrs: { 'http-equiv': 'Content-Security-Policy', content: contentSecurityPolicy('meta') }, injectTo: 'head-prepend' }],
  };
}

/** ONNX Runtime's wasm is about 27 MB; Workbox would skip anything over 2 MiB. */
const LARGEST_PRECACHED_FILE = 48 * 1024 * 1024;

export default defineConfig({
  plugins: [
    react(),
    cspMetaTag(),
    VitePWA({
      // An update waits for the person's "Reload": a reload mid-training would lose the run.
      registerType: 'prompt',
      // src/main.tsx registers through virtual:pwa-register; an injected inline script would break the CSP.
      injectRegister: false,
      manifest: {
        name: 'PixOOD — anomaly inspection',
        short_name: 'PixOOD',
        description: 'Find what does not belong in an image, pixel by pixel, on this device: train on good images, inspect new ones, offline.',
        theme_color: '#ffffff',
        background_color: '#f6f8fa',
        display: 'standalone',
        start_url: './',
        scope: './',
        icons: [
          { src: 'icons/icon-192.png', sizes: '192x192', type: 'image/png' },
          { src: 'icons/icon-512.png', sizes: '512x512', type: 'image/png' },
          { src: 'icons/maskable-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
          { src: 'icon.svg', sizes: 'any', type: 'image/svg+xml' },
        ],
      },
      workbox: {
        // The app shell, the one ONNX Runtime build and the built-in backbone: everything the demo
        // needs offline. The manifest and its icons are added by the plugin itself.
        globPatterns: ['**/*.{html,js,css,wasm,onnx}'],
        maximumFileSizeToCacheInBytes: LARGEST_PRECACHED_FILE,
        cleanupOutdatedCaches: true,
        // Only the app's own files: model downloads from other origins always go to the network.
        runtimeCaching: [],
      },
      devOptions: { enabled: false },
    }),
  ],
  server: { headers: isolation },
  preview: { headers: { ...isolation, 'Content-Security-Policy': contentSecurityPolicy('header') } },
  worker: { format: 'es' },
  optimizeDeps: { exclude: ['onnxruntime-web'] },
  build: { target: 'es2022' },
});
