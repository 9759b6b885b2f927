import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FOLDED_SCAN_WASM } from '../workers/parsers/folded-scan-wasm';
import { FOLDED_SCAN_MODULE, FOLDED_SCAN_SOURCE, compileWasm, wasmModuleText } from '../scripts/wasm';

describe('the WebAssembly of the folded stack scanner', () => {
  it('is what its source compiles to (run `npm run wasm` after changing the source)', async () => {
    const binary = await compileWasm(FOLDED_SCAN_SOURCE);
    expect(Buffer.from(FOLDED_SCAN_WASM, 'base64').equals(Buffer.from(binary))).toBe(true);
    expect(readFileSync(FOLDED_SCAN_MODULE, 'utf8')).toBe(wasmModuleText(FOLDED_SCAN_SOURCE, binary));
  }, 60_000);
});
