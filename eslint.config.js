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
  {
    // The page speaks to the engine only through its API: the model, its requests and the
    // engine's calls all come from src/engine, so the worker boundary has one vocabulary.
    files: ['src/ui/**/*.{ts,tsx}', 'src/state/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/pipeline/*', '**/gpu/*', '**/backbone/*', '**/core/model/*', '**/workers/*'],
              message: 'src/ui and src/state reach the engine through src/engine/api (types) and src/engine/client (calls), never the worker side.',
            },
          ],
        },
      ],
    },
  },
);
