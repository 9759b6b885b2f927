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
  init(stackFrames: number, frameBytes: number, lineBytes: number, countDigits: number, expectedBytes: number): void;
  knownLabel(start: number, end: number): number;
  reserveLabel(size: number): number;
  readRootFramesAsText(): void;
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
  | 'labelFile'
  | 'labelFileEnd'
  | 'labelName'
  | 'labelNameAt'
  | 'labelNameEnd'
  | 'labelLine'
  | 'labels'
  | 'parts'
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

/**
 * Labels the scanner has found, by label index: each one's parts as `file:name:line` (see
 * `splitColonFrame`), read from its bytes: the file is its first `fileEnd` characters, the name
 * `[nameAt, nameEnd)`, each with a part index that is the same for the same text; its line, or -1.
 */
export interface LabelParts {
  file: Int32Array;
  fileEnd: Int32Array;
  name: Int32Array;
  nameAt: Int32Array;
  nameEnd: Int32Array;
  line: Float64Array;
  /** How many distinct parts there are. */
  count: number;
}

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

  /** `expectedBytes`: about how many bytes will be scanned (0 when not known); the memory is sized for them. */
  constructor(limits: ScanLimits, expectedBytes = 0) {
    compiled ??= compiledWasm(FOLDED_SCAN_WASM);
    const instance = new WebAssembly.Instance(compiled, wasmImports);
    this.x = instance.exports as unknown as ScanExports;
    this.globals = instance.exports as unknown as Record<ScanGlobal, WebAssembly.Global>;
    this.stops = new Map(STOPS.map(([name, stop]) => [this.globals[name].value as number, stop]));
    this.x.init(limits.stackFrames, limits.frameBytes, limits.lineBytes, limits.countDigits, expectedBytes);
  }

  /** Lines whose first frame may be a thread or a process are to be read as text. */
  readRootFramesAsText(): void {
    this.x.readRootFramesAsText();
  }

  /** The scanner's memory; a new view after the memory has grown. */
  bytes(): Uint8Array {
    // Growing detaches the old buffer. `memory.buffer` costs microseconds a call on a large
    // memory, far more than a label: it is read only then.
    if (this.view.byteLength === 0) this.view = new Uint8Array(this.x.memory.buffer);
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
   * Gives each label seen since the last call, from `known` on, its frame id: `idOf` gets where
   * it is, `text[start, start + length)`, its index and the parts of every label. Returns how many
   * labels are known now.
   */
  nameLabels(
    known: number,
    idOf: (text: string, start: number, length: number, k: number, parts: LabelParts) => number,
  ): number {
    const labels = this.value('labels');
    if (labels === known) return known;
    const buffer = this.bytes().buffer,
      arena = this.value('arena');
    const column = (name: ScanGlobal) => new Int32Array(buffer, this.value(name), labels);
    const at = column('labelAt'),
      length = column('labelLength'),
      id = column('labelId');
    const parts: LabelParts = {
      file: column('labelFile'),
      fileEnd: column('labelFileEnd'),
      name: column('labelName'),
      nameAt: column('labelNameAt'),
      nameEnd: column('labelNameEnd'),
      line: new Float64Array(buffer, this.value('labelLine'), labels),
      count: this.value('parts'),
    };
    // The new labels lie one after another and are ASCII, a character a byte: decoded in one call
    // (a call costs far more than a short label's bytes).
    const first = at[known],
      text = ascii.decode(this.bytes().subarray(arena + first, arena + at[labels - 1] + length[labels - 1]));
    for (let k = known; k < labels; k++) {
      id[k] = idOf(text, at[k] - first, length[k], k, parts);
    }
    return labels;
  }

  /**
   * Tells the scanner of a label that has frame `id` already, made while every label it has found
   * has its id: the ASCII `label` is taken as that frame wherever it is met. Returns how many
   * labels are known now.
   */
  knownLabel(label: string, id: number): number {
    const input = inWasm(() => this.x.reserveLabel(label.length));
    const bytes = this.bytes();
    for (let i = 0; i < label.length; i++) bytes[input + i] = label.charCodeAt(i);
    const k = inWasm(() => this.x.knownLabel(input, input + label.length));
    new Int32Array(this.bytes().buffer, this.value('labelId'), k + 1)[k] = id;
    return this.value('labels');
  }

  /**
   * The lines read since the output was last emptied, every label named: for each, its count of
   * frames and its weight, and all their frame ids, root first, one line after another.
   */
  output(): { lengths: Int32Array; weights: Float64Array; ids: Int32Array } {
    const lines = this.value('outLines'),
      buffer = this.bytes().buffer;
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
