import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      'dist/',
      'bench/out/',
      'core/formats/stacks/wasm/',
      'core/formats/stacks/folded-scan-wasm.ts',
      'core/formats/speedscope/wasm/',
      'core/formats/speedscope/sample-scan-wasm.ts',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.browser, ...globals.worker, ...globals.node } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      'react-hooks/rules-of-hooks': 'error',
      'react-hooks/exhaustive-deps': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // The core is read by Node tests, the CLI and the worker: it must not reach into the page.
    files: ['core/**', 'worker/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['~/src/*', '**/src/*'], message: 'core and worker do not import the page' }] },
      ],
    },
  },
);
