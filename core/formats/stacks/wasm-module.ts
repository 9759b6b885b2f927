/** What the workers' WebAssembly modules (built by scripts/wasm.ts) share. */

/** A module from its base64; these are small enough to compile at once, in any thread. */
export function compiledWasm(base64: string): WebAssembly.Module {
  return new WebAssembly.Module(Uint8Array.from(atob(base64), (c) => c.charCodeAt(0)));
}

const OUT_OF_MEMORY = 'it needs more memory than WebAssembly may have';

/** What each module imports: its runtime aborts only when an allocation is too large. */
export const wasmImports = {
  env: {
    abort: () => {
      throw new RangeError(OUT_OF_MEMORY);
    },
  },
};

/**
 * Calls `f`, which calls into a module; a trap there is its memory failing to grow (the modules
 * check their inputs before they are called), told as the RangeError of an allocation too large.
 */
export function inWasm<T>(f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof WebAssembly.RuntimeError) throw new RangeError(OUT_OF_MEMORY, { cause: e });
    throw e;
  }
}
