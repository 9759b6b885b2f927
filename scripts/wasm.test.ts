import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { WASM_MODULES, compileWasm, wasmModuleText } from './wasm';

describe('the WebAssembly the workers use', () => {
  for (const { source, module, name } of WASM_MODULES) {
    it(`is what ${source} compiles to (run \`npm run wasm\` after changing it)`, async () => {
      expect(readFileSync(module, 'utf8')).toBe(wasmModuleText(source, name, await compileWasm(source)));
    }, 60_000);
  }
});
