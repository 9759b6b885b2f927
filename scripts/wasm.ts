/**
 * Builds the WebAssembly the parsers use from its AssemblyScript source, into a TypeScript module
 * that holds it as base64 (so the worker, Node tests and the command line all import it alike).
 * `npm run wasm` writes it; a unit test checks that the module written is what the source makes.
 */
import asc from 'assemblyscript/asc';
import { writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

/** Each AssemblyScript source, the module its WebAssembly goes into, and the name it has there. */
export const WASM_MODULES = [
  {
    source: 'core/formats/stacks/wasm/folded-scan.ts',
    module: 'core/formats/stacks/folded-scan-wasm.ts',
    name: 'FOLDED_SCAN_WASM',
  },
  {
    source: 'core/formats/speedscope/wasm/sample-scan.ts',
    module: 'core/formats/speedscope/sample-scan-wasm.ts',
    name: 'SAMPLE_SCAN_WASM',
  },
];

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
  if (result.error || !binary)
    throw new Error(`${source} does not compile: ${result.error?.message ?? ''}\n${errors.join('')}`);
  return binary;
}

/** The TypeScript module that holds `binary`, built from `source`, as `name`. */
export function wasmModuleText(source: string, name: string, binary: Uint8Array): string {
  return `/** Made by \`npm run wasm\` from ${source}: WebAssembly, base64. Do not edit. */\nexport const ${name} =\n  '${Buffer.from(binary).toString('base64')}';\n`;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  for (const { source, module, name } of WASM_MODULES) {
    const binary = await compileWasm(source);
    await writeFile(`${root}/${module}`, wasmModuleText(source, name, binary));
    console.log(`${module}: ${binary.length} bytes of WebAssembly`);
  }
}
