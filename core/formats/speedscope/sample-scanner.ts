/**
 * The WebAssembly reader of speedscope samples (source: `wasm/sample-scan.ts`), with typed access
 * to its functions, its state and its memory.
 */
import { compiledWasm, inWasm, wasmImports } from '../stacks/wasm-module';
import { SAMPLE_SCAN_WASM } from './sample-scan-wasm';

interface ScanExports {
  memory: WebAssembly.Memory;
  init(): void;
  reserveInput(size: number): number;
  scan(from: number, length: number): number;
}

type ScanGlobal = 'ENDED' | 'FULL' | 'outIndices' | 'outLengths' | 'sampleCount' | 'indexCount' | 'stoppedAt';

/**
 * The bytes are copied into the module's memory this many at first, then twice as many each time
 * they end while samples go on: an element the module does not read (a sample written otherwise)
 * costs a copy this small, and a chunk of plain samples a few copies in all.
 */
const FIRST_WINDOW = 1024;

let compiled: WebAssembly.Module | undefined;

/** Takes the frame indices `indices[at, at + n)` of one sample. */
export type TakeSample = (indices: Int32Array, at: number, n: number) => void;

export class SampleScanner {
  private readonly x: ScanExports;
  private readonly globals: Record<ScanGlobal, WebAssembly.Global>;
  private readonly ENDED: number;
  private readonly FULL: number;

  constructor() {
    compiled ??= compiledWasm(SAMPLE_SCAN_WASM);
    const instance = new WebAssembly.Instance(compiled, wasmImports);
    this.x = instance.exports as unknown as ScanExports;
    this.globals = instance.exports as unknown as Record<ScanGlobal, WebAssembly.Global>;
    this.ENDED = this.value('ENDED');
    this.FULL = this.value('FULL');
    this.x.init();
  }

  private value(name: ScanGlobal): number {
    return this.globals[name].value as number;
  }

  /**
   * Reads the samples written as arrays of plain integers from `b[i]` on, and the spaces and commas
   * between them, each handed to `take` in order; returns where in `b` it stopped (the first
   * element not read, or `end`).
   */
  read(b: Uint8Array, i: number, end: number, take: TakeSample): number {
    let pos = i,
      window = FIRST_WINDOW;
    for (;;) {
      const n = Math.min(window, end - pos);
      const input = inWasm(() => this.x.reserveInput(n));
      new Uint8Array(this.x.memory.buffer, input, n).set(b.subarray(pos, pos + n));
      let status: number,
        from = 0;
      do {
        status = this.x.scan(from, n);
        const samples = this.value('sampleCount');
        if (samples > 0) {
          const buffer = this.x.memory.buffer;
          const lengths = new Int32Array(buffer, this.value('outLengths'), samples);
          const indices = new Int32Array(buffer, this.value('outIndices'), this.value('indexCount'));
          for (let s = 0, at = 0; s < samples; at += lengths[s++]) take(indices, at, lengths[s]);
        }
        from = this.value('stoppedAt');
      } while (status === this.FULL);
      pos += from;
      if (status !== this.ENDED || pos + (n - from) >= end) return pos;
      window *= 2;
    }
  }
}
