/**
 * Builds the WebAssembly the parsers use from its AssemblyScript source, into a TypeScript module
 * that holds it as base64 (so the worker, Node tests and the command line all import it alike).
 * `npm run wasm` writes it; a unit test checks that the module written is what the source makes.
 */
import asc from 'assemblyscript/asc';
import { writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
export const FOLDED_SCAN_SOURCE = 'workers/wasm/folded-scan.ts';
export const FOLDED_SCAN_MODULE = 'workers/parsers/folded-scan-wasm.ts';

/** The WebAssembly binary the AssemblyScript source at `source` (relative to the project) compiles to. */
export async function compileWasm(source: string): Promise<Uint8Array> {
  let binary: Uint8Array | undefined;
  const errors: string[] = [];
  const result = await asc.main(
    [source, '--baseDir', root, '-O3', '--runtime', 'stub', '--noAssert', '--enable', 'simd', '--outFile', 'out.wasm'],
    {
      writeFile: (name, contents) => {
        if (name.endsWith('out.wasm') && contents instanceof Uint8Array) binary = contents;
      },
      stderr: { write: (text: string | Uint8Array) => void errors.push(String(text)) } as never,
      stdout: { write: () => undefined } as never,
    },
  );
  if (result.error || !binary) throw new Error(`${source} does not compile: ${result.error?.message ?? ''}\n${errors.join('')}`);
  return binary;
}

/** The TypeScript module that holds `binary`, built from `source`. */
export function wasmModuleText(source: string, binary: Uint8Array): string {
  return `/** Made by \`npm run wasm\` from ${source}: WebAssembly, base64. Do not edit. */\nexport const FOLDED_SCAN_WASM =\n  '${Buffer.from(binary).toString('base64')}';\n`;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const binary = await compileWasm(FOLDED_SCAN_SOURCE);
  const path = `${root}/${FOLDED_SCAN_MODULE}`;
  await writeFile(path, wasmModuleText(FOLDED_SCAN_SOURCE, binary));
  console.log(`${FOLDED_SCAN_MODULE}: ${binary.length} bytes of WebAssembly`);
}
