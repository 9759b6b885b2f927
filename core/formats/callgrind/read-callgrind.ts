/**
 * Reads callgrind files (valgrind's callgrind, yappi's `save(type='callgrind')`, pyprof2calltree,
 * lsprofcalltree) as the call graph they hold: each function's self cost from its cost lines, and
 * per call edge the calls and the inclusive cost along it. The file format is valgrind's
 * "Callgrind Format Specification": `key: value` header lines, `fl=`/`fn=`/`cfl=`/`cfn=`/`calls=`
 * lines, names compressed as `(id) name` then `(id)`, and cost lines of positions then costs.
 */
import { FrameTableBuilder, GrowableArray, StringTable, floats, ints } from '~/core/model/builders';
import { ProfileError, type Profile, type PstatsTable, type WeightUnit } from '~/core/model/profile';
import { packStrings } from '~/core/model/string-pack';
import { estimateCallTree } from '../pstats/estimated-tree';
import { LineSplitter } from '../stacks/line-splitter';

/**
 * A callgrind file starts with header lines (`# callgrind format`, `version: 1`, `creator: yappi`,
 * pyprof2calltree's `event: ns : Nanoseconds`), blank lines or comments, and names its events
 * before any body line.
 */
const CALLGRIND_HEAD =
  /^\ufeff?(?:# callgrind format|(?:[ \t]*(?:#[^\n]*)?\r?\n|(?:version|creator|pid|cmd|part|desc|positions|event|thread|threads|summary|totals|timeframe \(BB\)):[^\n]*\n)*events:)/;

export const looksLikeCallgrind = (text: string): boolean => CALLGRIND_HEAD.test(text);

/** A cost or a call count: a decimal or `0x` hexadecimal count, never negative. */
const COUNT = /^(?:\d{1,20}(?:\.\d{1,20})?|0x[\da-fA-F]{1,16})$/;
const countOf = (token: string | undefined): number => (token !== undefined && COUNT.test(token) ? Number(token) : NaN);

/** Function ids go into an edge key as `caller * 2^32 + callee`, exact below 2^53. */
const MAX_FUNCTIONS = 2 ** 21;
const MAX_INVALID_LINE_NUMBERS = 10;

/** How an event's costs become the profile's weights. */
function unitOf(event: string, creator: string): { unit: WeightUnit; scale: number; note?: string } {
  switch (event.toLowerCase()) {
    case 'ns':
      return { unit: 'seconds', scale: 1e-9 };
    case 'us':
    case 'µs':
    case 'usec':
      return { unit: 'seconds', scale: 1e-6 };
    case 'ms':
      return { unit: 'seconds', scale: 1e-3 };
    case 'ticks':
      // yappi's ticks are microseconds; lsprofcalltree's and pyprof2calltree's before 1.4 were milliseconds.
      return /^yappi\b/i.test(creator)
        ? { unit: 'seconds', scale: 1e-6 }
        : {
            unit: 'seconds',
            scale: 1e-3,
            note: 'costs in Ticks are read as milliseconds, as lsprofcalltree and pyprof2calltree before 1.4 wrote them (the file names no creator that says otherwise)',
          };
    default:
      return { unit: 'events', scale: 1 };
  }
}

/** A function's key: object, file and name, as callgrind tells functions apart. */
const keyOf = (object: string, file: string, name: string) => `${object}\0${file}\0${name}`;

class CallgrindReader {
  private events: string[] | null = null;
  private lineColumn = 0;
  private positions = 1;
  private creator = '';
  private fileTotal: number | undefined;
  private totalLine = 0;

  /** Compressed names by id: files (`fl`, `fi`, `fe`, `cfl`, `cfi`), functions (`fn`, `cfn`), objects (`ob`, `cob`). */
  private readonly names = {
    file: new Map<string, string>(),
    fn: new Map<string, string>(),
    ob: new Map<string, string>(),
  };
  private undefinedNames = 0;
  private firstUndefinedName = 0;

  private object = '';
  private file = '';
  /** The file of the cost lines that follow (`fi=`/`fe=`: code inlined from another file), or null for the function's own. */
  private sourceFile: string | null = null;
  /** The current function's id, made when it first has a cost or a call (yappi lists every `fn=` name before any body). */
  private fn = -1;
  private fnText: string | null = null;
  private calleeObject: string | null = null;
  private calleeFile: string | null = null;
  private calleeName: string | null = null;
  /** The callee and count of a `calls=` line: its cost line follows. */
  private call: { object: string; file: string; name: string; count: number } | null = null;
  /** A `jump=`/`jcnd=` line's position line follows, which carries no cost. */
  private skipNext = false;
  private readonly lastPosition: number[] = [];

  private readonly functionOf = new Map<string, number>();
  private readonly fnObject: string[] = [];
  private readonly fnFile: string[] = [];
  private readonly fnName: string[] = [];
  private readonly fnLine: number[] = [];
  private readonly fnSelf = new GrowableArray(floats);

  private readonly edgeOf = new Map<number, number>();
  private readonly edgeCaller = new GrowableArray(ints);
  private readonly edgeCallee = new GrowableArray(ints);
  private readonly edgeCalls = new GrowableArray(floats);
  private readonly edgeCost = new GrowableArray(floats);

  private invalidLines = 0;
  private readonly invalidLineNumbers: number[] = [];

  constructor(private readonly fileName: string) {}

  line(text: string, lineNo: number): void {
    const c = text.charCodeAt(0);
    if (c === 35 /* # */) return;
    if ((c >= 48 && c <= 57) || c === 43 || c === 45 || c === 42 /* digits + - * */) return this.costLine(text, lineNo);
    // A `calls=` line's cost is on the line right after it; without one the call is not counted.
    this.call = null;
    const key = /^([A-Za-z][A-Za-z0-9 ()]*?)([=:])[ \t]*/.exec(text);
    if (!key) return this.invalid(lineNo);
    const value = text.slice(key[0].length).trimEnd();
    if (key[2] === ':') return this.header(key[1], value, lineNo);
    switch (key[1]) {
      case 'ob':
        this.object = this.nameOf('ob', value, lineNo);
        return;
      case 'fl':
        this.file = this.nameOf('file', value, lineNo);
        this.sourceFile = null;
        return;
      case 'jfi':
      case 'jfe':
        this.nameOf('file', value, lineNo);
        return;
      case 'fi':
      case 'fe': {
        const file = this.nameOf('file', value, lineNo);
        this.sourceFile = file === this.file ? null : file;
        return;
      }
      case 'fn':
        this.fnText = this.nameOf('fn', value, lineNo);
        this.fn = -1;
        this.sourceFile = null;
        return;
      case 'cob':
        this.calleeObject = this.nameOf('ob', value, lineNo);
        return;
      case 'cfl':
      case 'cfi':
        this.calleeFile = this.nameOf('file', value, lineNo);
        return;
      case 'cfn':
        this.calleeName = this.nameOf('fn', value, lineNo);
        return;
      case 'calls':
        return this.calls(value, lineNo);
      case 'jump':
      case 'jcnd':
        this.skipNext = true;
        return;
      default:
        return this.invalid(lineNo);
    }
  }

  private header(key: string, value: string, lineNo: number): void {
    switch (key) {
      case 'events':
        if (this.events) {
          if (value.split(/\s+/).join(' ') !== this.events.join(' '))
            throw new ProfileError(
              `line ${lineNo} names other events (${value}) than the file's (${this.events.join(' ')})`,
            );
          return;
        }
        this.events = value.split(/\s+/).filter(Boolean);
        if (this.events.length === 0) throw new ProfileError(`line ${lineNo} names no events`);
        return;
      case 'positions': {
        const names = value.split(/\s+/).filter(Boolean);
        if (names.length === 0) throw new ProfileError(`line ${lineNo} names no positions`);
        this.positions = names.length;
        this.lineColumn = names.indexOf('line');
        return;
      }
      case 'creator':
        this.creator = value;
        return;
      case 'totals':
      case 'summary':
        // `totals:` (at the end) is the sum of all costs; pyprof2calltree's `summary:` is the largest inclusive cost.
        if (key === 'totals' || this.fileTotal === undefined) {
          this.fileTotal = Number(value.split(/\s+/)[0]);
          this.totalLine = key === 'totals' ? lineNo : 0;
        }
        return;
    }
  }

  /**
   * A compressed name: `(id) name` defines the id, `(id)` refers to it, a bare name is itself. A
   * name may start with a parenthesis (`(below main)`): only digits make an id.
   */
  private nameOf(kind: keyof CallgrindReader['names'], value: string, lineNo: number): string {
    const m = /^\((\d+)\)(?:[ \t]+(.*))?$/.exec(value);
    if (!m) return value;
    const names = this.names[kind];
    if (m[2] !== undefined) {
      names.set(m[1], m[2]);
      return m[2];
    }
    const known = names.get(m[1]);
    if (known !== undefined) return known;
    if (this.undefinedNames++ === 0) this.firstUndefinedName = lineNo;
    return value;
  }

  private functionId(object: string, file: string, name: string, lineNo: number): number {
    const key = keyOf(object, file, name);
    let id = this.functionOf.get(key);
    if (id === undefined) {
      id = this.fnName.length;
      if (id >= MAX_FUNCTIONS)
        throw new ProfileError(`line ${lineNo} names more than ${MAX_FUNCTIONS.toLocaleString('en')} functions`);
      this.functionOf.set(key, id);
      this.fnObject.push(object);
      this.fnFile.push(file);
      this.fnName.push(name);
      this.fnLine.push(-1);
      this.fnSelf.push(0);
    }
    return id;
  }

  /** The current function's id, made now if it is new; -1 before any `fn=`. */
  private currentFunction(lineNo: number): number {
    if (this.fn < 0 && this.fnText !== null) this.fn = this.functionId(this.object, this.file, this.fnText, lineNo);
    return this.fn;
  }

  private calls(value: string, lineNo: number): void {
    const count = countOf(value.split(/\s+/)[0]);
    if (this.currentFunction(lineNo) < 0 || this.calleeName === null || Number.isNaN(count))
      return this.invalid(lineNo);
    this.call = {
      object: this.calleeObject ?? this.object,
      file: this.calleeFile ?? this.file,
      name: this.calleeName,
      count,
    };
  }

  private costLine(text: string, lineNo: number): void {
    const call = this.call;
    this.call = null;
    if (this.skipNext) {
      this.skipNext = false;
      return;
    }
    const events = this.events;
    if (!events) throw new ProfileError(`line ${lineNo} has costs before the \`events:\` line that names them`);
    const tokens = text.trim().split(/\s+/);
    let line = -1;
    for (let i = 0; i < this.positions; i++) {
      const p = this.position(tokens[i], i);
      if (p === null) return this.invalid(lineNo);
      if (i === this.lineColumn) line = p;
    }
    const token = tokens[this.positions];
    const cost = token === undefined ? 0 : countOf(token);
    if (Number.isNaN(cost)) return this.invalid(lineNo);
    if (call) {
      this.calleeObject = this.calleeFile = this.calleeName = null;
      return this.edge(this.fn, this.functionId(call.object, call.file, call.name, lineNo), call.count, cost);
    }
    if (this.currentFunction(lineNo) < 0) return this.invalid(lineNo);
    this.fnSelf.add(this.fn, cost);
    if (this.fnLine[this.fn] < 0 && this.sourceFile === null && line >= 0) this.fnLine[this.fn] = line;
  }

  /** A position: a number (decimal or `0x` hex), or relative to the last of its column (`+N`, `-N`, `*`). */
  private position(token: string | undefined, column: number): number | null {
    if (token === undefined) return null;
    const last = this.lastPosition[column] ?? 0;
    const c = token.charCodeAt(0);
    const n =
      token === '*'
        ? last
        : c === 43 || c === 45
          ? last + Number(token)
          : token.startsWith('0x')
            ? parseInt(token.slice(2), 16)
            : Number(token);
    if (!Number.isFinite(n)) return null;
    this.lastPosition[column] = n;
    return n;
  }

  private edge(caller: number, callee: number, calls: number, cost: number): void {
    const key = caller * 2 ** 32 + callee;
    let e = this.edgeOf.get(key);
    if (e === undefined) {
      e = this.edgeCaller.push(caller);
      this.edgeCallee.push(callee);
      this.edgeCalls.push(0);
      this.edgeCost.push(0);
      this.edgeOf.set(key, e);
    }
    this.edgeCalls.add(e, calls);
    this.edgeCost.add(e, cost);
  }

  private invalid(lineNo: number): void {
    this.invalidLines++;
    if (this.invalidLineNumbers.length < MAX_INVALID_LINE_NUMBERS) this.invalidLineNumbers.push(lineNo);
  }

  finish(): Profile {
    const events = this.events;
    if (!events) throw new ProfileError('the callgrind file names no events (no `events:` line)');
    const n = this.fnName.length;
    if (n === 0) throw new ProfileError('the callgrind file holds no functions');
    const { unit, scale, note } = unitOf(events[0], this.creator);
    const warnings: string[] = [];
    if (events.length > 1)
      warnings.push(
        `costs are the first event the file records, ${events[0]}; its others (${events.slice(1).join(', ')}) are not shown`,
      );
    if (note) warnings.push(note);
    if (this.undefinedNames)
      warnings.push(
        `${this.undefinedNames} name${this.undefinedNames === 1 ? ' refers' : 's refer'} to an id never defined, shown as the id (first on line ${this.firstUndefinedName})`,
      );

    const rawSelf = this.fnSelf.view();
    let rawTotal = 0;
    for (let f = 0; f < n; f++) rawTotal += rawSelf[f];
    const fileTotal = this.fileTotal;
    if (this.totalLine && fileTotal !== undefined && Math.abs(fileTotal - rawTotal) > 1e-9 * Math.abs(fileTotal))
      warnings.push(
        `the file's \`totals:\` (line ${this.totalLine}) says ${fileTotal.toLocaleString('en')} ${events[0]}; its functions' self costs sum to ${rawTotal.toLocaleString('en')}, which Kiln shows`,
      );

    const strings = new StringTable();
    const frames = new FrameTableBuilder(strings, n);
    const lines = this.fnLine;
    for (let f = 0; f < n; f++) {
      const { name, line } = splitName(this.fnName[f], this.fnFile[f], lines[f]);
      const file = this.fnFile[f] === '???' ? '' : this.fnFile[f];
      const label = file
        ? `${file}:${line >= 0 ? line : 0}(${name})`
        : this.fnObject[f]
          ? `${name} (${this.fnObject[f]})`
          : name;
      frames.addInterned(strings.intern(label), strings.intern(file), line, strings.intern(name));
    }

    const edges = this.edgeCaller.length;
    const caller = this.edgeCaller.view(),
      callee = this.edgeCallee.view(),
      calls = this.edgeCalls.view(),
      cost = this.edgeCost.view();
    const table: PstatsTable = {
      totalCalls: 0,
      primCalls: 0,
      totalTt: 0,
      cc: new Float64Array(n),
      nc: new Float64Array(n),
      tt: new Float64Array(n),
      ct: new Float64Array(n),
      edgeStart: new Int32Array(n + 1),
      edgeCaller: new Int32Array(edges),
      edgeNc: new Float64Array(edges),
      edgeCc: new Float64Array(edges),
      edgeTt: new Float64Array(edges).fill(NaN),
      edgeCt: new Float64Array(edges),
    };
    for (let f = 0; f < n; f++) {
      table.tt[f] = table.ct[f] = rawSelf[f] * scale;
      table.totalTt += table.tt[f];
    }
    for (let e = 0; e < edges; e++) {
      table.edgeStart[callee[e] + 1]++;
      table.nc[callee[e]] += calls[e];
      table.ct[caller[e]] += cost[e] * scale;
      table.totalCalls += calls[e];
    }
    table.cc.set(table.nc);
    table.primCalls = table.totalCalls;
    for (let f = 0; f < n; f++) table.edgeStart[f + 1] += table.edgeStart[f];
    const fill = table.edgeStart.slice(0, n);
    for (let e = 0; e < edges; e++) {
      const at = fill[callee[e]]++;
      table.edgeCaller[at] = caller[e];
      table.edgeNc[at] = table.edgeCc[at] = calls[e];
      table.edgeCt[at] = cost[e] * scale;
    }

    const estimated = estimateCallTree(table, n);
    return {
      format: 'callgrind',
      fileName: this.fileName,
      strings: packStrings(strings.strings),
      frames: frames.build(),
      pstats: table,
      tree: estimated.tree,
      treeIsEstimate: true,
      treeEstimate: estimated.estimate,
      unit,
      samples: table.totalTt,
      idle: 0,
      failed: 0,
      invalidLines: this.invalidLines,
      invalidLineNumbers: this.invalidLineNumbers,
      warnings: [...warnings, ...estimated.warnings],
    };
  }
}

/**
 * The function's name and line. yappi names a function `name file:line` and pyprof2calltree, where
 * a name is not unique in its file, `name:line`: the line goes to the line column and the name is
 * the function's own, so the label reads as pstats writes it.
 */
function splitName(written: string, file: string, costLine: number): { name: string; line: number } {
  const m = /:(\d+)$/.exec(written);
  if (m) {
    const head = written.slice(0, m.index);
    if (file && head.endsWith(` ${file}`)) return { name: head.slice(0, -file.length - 1), line: Number(m[1]) };
    if (Number(m[1]) === costLine) return { name: head, line: costLine };
  }
  return { name: written, line: costLine };
}

/** Reads a callgrind file from its (decompressed) bytes as they arrive. */
export async function parseCallgrindStream(stream: ReadableStream<Uint8Array>, fileName: string): Promise<Profile> {
  const reader = new CallgrindReader(fileName);
  const splitter = new LineSplitter(
    (text, lineNo) => reader.line(text, lineNo),
    (lineNo) => {
      throw new ProfileError(`line ${lineNo} is too long for a callgrind line`);
    },
  );
  const chunks = stream.getReader();
  const decoder = new TextDecoder();
  try {
    for (let r = await chunks.read(); !r.done; r = await chunks.read())
      splitter.push(decoder.decode(r.value, { stream: true }));
  } catch (e) {
    await chunks.cancel().catch(() => undefined);
    throw e;
  }
  splitter.push(decoder.decode());
  splitter.end();
  return reader.finish();
}
