/**
 * The WebAssembly scanner of folded stack lines (source: core/formats/stacks/wasm/folded-scan.ts), with typed
 * access to its functions, its state and its memory.
 */
import { compiledWasm, inWasm, wasmImports } from './wasm-module';
import { FOLDED_SCAN_WASM } from './folded-scan-wasm';

/** The limits a line of folded stacks is read within; past them the scanner stops and says so. */
export interface ScanLimits {
  stackFrames: number;
  frameBytes: number;
  lineBytes: number;
  countDigits: number;
}

interface ScanExports {
  memory: WebAssembly.Memory;
  init(stackFrames: number, frameBytes: number, lineBytes: number, countDigits: number): void;
  reserveInput(size: number): number;
  scan(start: number, end: number): number;
  next(): number;
  translate(): void;
  emptied(): void;
}

type ScanGlobal =
  | 'DONE'
  | 'FULL'
  | 'TEXT'
  | 'DEEP'
  | 'LONG_FRAME'
  | 'arena'
  | 'labelAt'
  | 'labelLength'
  | 'labelId'
  | 'labels'
  | 'outIds'
  | 'outLengths'
  | 'outWeights'
  | 'outIdCount'
  | 'outLines'
  | 'lineCount'
  | 'lineStart'
  | 'lineEnd'
  | 'frameFrom'
  | 'frameTo';

/** Why a scan stopped. */
export type ScanStop = 'done' | 'full' | 'text' | 'deep' | 'longFrame';
const STOPS: [ScanGlobal, ScanStop][] = [
  ['DONE', 'done'],
  ['FULL', 'full'],
  ['TEXT', 'text'],
  ['DEEP', 'deep'],
  ['LONG_FRAME', 'longFrame'],
];

/** Decodes labels, which are ASCII: a byte is a character. */
const ascii = new TextDecoder();

/** Compiled once per thread, when first needed. */
let compiled: WebAssembly.Module | undefined;

/** One file's scanner: its memory holds the bytes to scan, the frames seen and the lines read. */
export class FoldedScanner {
  private readonly x: ScanExports;
  private readonly globals: Record<ScanGlobal, WebAssembly.Global>;
  private readonly stops: Map<number, ScanStop>;
  private view = new Uint8Array(0);

  constructor(limits: ScanLimits) {
    compiled ??= compiledWasm(FOLDED_SCAN_WASM);
    const instance = new WebAssembly.Instance(compiled, wasmImports);
    this.x = instance.exports as unknown as ScanExports;
    this.globals = instance.exports as unknown as Record<ScanGlobal, WebAssembly.Global>;
    this.stops = new Map(STOPS.map(([name, stop]) => [this.globals[name].value as number, stop]));
    this.x.init(limits.stackFrames, limits.frameBytes, limits.lineBytes, limits.countDigits);
  }

  /** The scanner's memory; a new view after the memory has grown. */
  bytes(): Uint8Array {
    if (this.view.buffer !== this.x.memory.buffer) this.view = new Uint8Array(this.x.memory.buffer);
    return this.view;
  }

  /** Where in `bytes()` the `size` bytes to scan go; those already there are kept. */
  reserveInput(size: number): number {
    return inWasm(() => this.x.reserveInput(size));
  }

  /** Reads the lines of `bytes()[start, end)`, which ends with a line feed, until done or a stop. */
  scan(start: number, end: number): ScanStop {
    return this.stop(inWasm(() => this.x.scan(start, end)));
  }

  /** Goes on after a stop, with the next line. */
  next(): ScanStop {
    return this.stop(inWasm(() => this.x.next()));
  }

  /** Lines taken by this scan so far, the one a stop is about included. */
  get lineCount(): number {
    return this.value('lineCount');
  }

  /** The line a stop is about: `bytes()[lineStart, lineEnd)`, without its line feed. */
  get lineStart(): number {
    return this.value('lineStart');
  }

  get lineEnd(): number {
    return this.value('lineEnd');
  }

  /** The frame a `longFrame` stop is about: `bytes()[frameFrom, frameTo)`. */
  get frameFrom(): number {
    return this.value('frameFrom');
  }

  get frameTo(): number {
    return this.value('frameTo');
  }

  /**
   * Gives each label seen since the last call, from `known` on, its frame id: `idOf` gets its
   * text. Returns how many labels are known now.
   */
  nameLabels(known: number, idOf: (label: string) => number): number {
    const labels = this.value('labels');
    if (labels === known) return known;
    const buffer = this.x.memory.buffer,
      arena = this.value('arena');
    const at = new Int32Array(buffer, this.value('labelAt'), labels),
      length = new Int32Array(buffer, this.value('labelLength'), labels);
    const id = new Int32Array(buffer, this.value('labelId'), labels);
    // The new labels lie one after another and are ASCII, a character a byte: decoded in one call
    // (a call costs far more than a short label's bytes) and cut.
    const first = at[known],
      text = ascii.decode(this.bytes().subarray(arena + first, arena + at[labels - 1] + length[labels - 1]));
    for (let k = known; k < labels; k++) id[k] = idOf(text.slice(at[k] - first, at[k] - first + length[k]));
    return labels;
  }

  /**
   * The lines read since the output was last emptied, every label named: for each, its count of
   * frames and its weight, and all their frame ids, root first, one line after another.
   */
  output(): { lengths: Int32Array; weights: Float64Array; ids: Int32Array } {
    const lines = this.value('outLines'),
      buffer = this.x.memory.buffer;
    this.x.translate();
    return {
      lengths: new Int32Array(buffer, this.value('outLengths'), lines),
      weights: new Float64Array(buffer, this.value('outWeights'), lines),
      ids: new Int32Array(buffer, this.value('outIds'), this.value('outIdCount')),
    };
  }

  /** Lines waiting in the output. */
  get outputLines(): number {
    return this.value('outLines');
  }

  emptyOutput(): void {
    this.x.emptied();
  }

  private value(name: ScanGlobal): number {
    return this.globals[name].value as number;
  }

  private stop(code: number): ScanStop {
    return this.stops.get(code)!;
  }
}
