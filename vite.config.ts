/// <reference types="vitest/config" />
import { defineConfig } from 'vite';

export default defineConfig({
  base: './',
  worker: { format: 'es' },
  build: { target: 'es2022', sourcemap: true },
  preview: { port: 4173, strictPort: false },
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
  },
});
