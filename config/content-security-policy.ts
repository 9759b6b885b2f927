import type { Plugin } from 'vite';

/**
 * What the built page may load and run. Everything is the page's own: its scripts (no inline
 * script, no eval; the parser worker compiles its own WebAssembly, which `'wasm-unsafe-eval'`
 * allows without allowing eval), its stylesheet (the views set styles through the DOM, which a policy allows),
 * its parser worker and service worker. The only requests to elsewhere are the downloads `?url=`
 * asks for, which may be any http(s) address (a page served over https cannot reach http ones
 * anyway). The favicon is a data: URL so that changes of address fetch nothing.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self' https: http:",
  "worker-src 'self'",
  "manifest-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');

/**
 * Writes the policy into the built index.html as a meta element, first in its head, so that a
 * static host needs no configuration. Dev mode is left without it: Vite's dev server injects
 * scripts of its own.
 */
export function contentSecurityPolicy(): Plugin {
  return {
    name: 'kiln-content-security-policy',
    apply: 'build',
    transformIndexHtml: () => [
      {
        tag: 'meta',
        attrs: { 'http-equiv': 'Content-Security-Policy', content: CONTENT_SECURITY_POLICY },
        injectTo: 'head-prepend',
      },
    ],
  };
}
