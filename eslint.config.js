import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

export default tseslint.config(
  // *.as.ts is AssemblyScript (its own types: f32, v128), compiled by asc, not tsc.
  { ignores: ['dist', 'dist-*', 'node_modules', 'test-results', 'playwright-report', '**/*.as.ts'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.browser, ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      'no-warning-comments': ['error', { terms: ['todo', 'fixme', 'xxx'], location: 'start' }],
    },
  },
  {
    // The math core stays pure: no DOM, no GPU, nothing of ours above it.
    files: ['src/core/**/*.ts'],
    ignores: ['src/core/**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['node:*', 'fs', 'path', '**/ui/*', '**/state/*', '**/engine/*', '**/pipeline/*', '**/backbone/*', '**/gpu/*', '**/storage/*', '**/workers/*', '**/fixtures/*'],
              message: 'src/core is pure: it imports nothing of ours outside src/core, and no Node or browser APIs.',
            },
          ],
        },
      ],
      'no-restricted-globals': ['error', 'window', 'document', 'navigator'],
    },
  },
  // The page speaks to the engine only through its API: the model, its requests and the
  // engine's calls all come from src/engine, so the worker boundary has one vocabulary. Beyond
  // that, imports point down: ui → app (workflows) → state (stores), never back up, and only the
  // workflows call the engine.
  pageLayer(['src/ui/**/*.{ts,tsx}'], [{ group: ['**/state/services'], message: 'Views reach the engine and the database through the workflows in src/app, never directly.' }]),
  pageLayer(['src/app/**/*.ts'], [{ group: ['**/ui/*'], message: 'src/app runs workflows for the views; it never imports them (imports point down: ui → app → state).' }]),
  pageLayer(['src/state/**/*.{ts,tsx}'], [
    { group: ['**/app/*'], message: 'src/state holds state; the workflows in src/app change it, never the other way (imports point down: ui → app → state).' },
    { group: ['**/services'], importNames: ['engineClient'], message: 'src/state holds state; the workflows in src/app call the engine.' },
  ]),
);

/** The worker side is closed to the page's layers; `more` adds a layer's own patterns. */
function pageLayer(files, more) {
  return {
    files,
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/pipeline/*', '**/gpu/*', '**/backbone/*', '**/core/model/*', '**/workers/*'],
              message: 'src/ui, src/app and src/state reach the engine through src/engine/api (types) and src/engine/client (calls), never the worker side.',
            },
            ...more,
          ],
        },
      ],
    },
  };
}
