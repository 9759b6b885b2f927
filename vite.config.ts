/// <reference types="vitest/config" />
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import { VitePWA, type VitePWAOptions } from 'vite-plugin-pwa';
import { contentSecurityPolicy } from './config/content-security-policy.ts';

const icon = (size: number, purpose: 'any' | 'maskable') => ({
  src: `icons/${purpose === 'any' ? 'icon' : 'maskable'}-${size}.png`,
  sizes: `${size}x${size}`,
  type: 'image/png',
  purpose,
});

/**
 * The web app manifest and the service worker. Every path is relative so that one build works at
 * any sub-path of any static host; the worker bundle and the samples are precached with the shell
 * so that the app opens and parses offline.
 */
const pwa: Partial<VitePWAOptions> = {
  registerType: 'prompt',
  injectRegister: false,
  // The glob below already takes the icons.
  includeManifestIcons: false,
  manifest: {
    name: 'Kiln',
    short_name: 'Kiln',
    description: 'A browser-only viewer for Python profiles',
    start_url: './',
    scope: './',
    display: 'standalone',
    theme_color: '#1f2430',
    background_color: '#fbfaf8',
    icons: [icon(64, 'any'), icon(192, 'any'), icon(512, 'any'), icon(192, 'maskable'), icon(512, 'maskable')],
  },
  workbox: {
    globPatterns: ['**/*.{html,js,css,svg,png,webmanifest}', 'samples/**/*', 'warm-up/*'],
    // Profiles in samples/ and a large worker bundle must not fall out of the precache silently.
    maximumFileSizeToCacheInBytes: 32 * 1024 * 1024,
    // Nothing to hand over on the first install; later versions wait for the user (registerType).
    clientsClaim: true,
  },
};

export default defineConfig({
  base: './',
  resolve: { alias: [{ find: /^~\//, replacement: fileURLToPath(new URL('./', import.meta.url)) }] },
  plugins: [VitePWA(pwa), contentSecurityPolicy()],
  worker: { format: 'es' },
  build: { target: 'es2022', sourcemap: true },
  preview: { port: 4173, strictPort: false },
  test: {
    include: ['{core,worker,src,scripts,fuzz,bench}/**/*.test.ts'],
    testTimeout: 60_000,
  },
});
