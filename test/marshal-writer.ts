/** A tiny marshal writer for hand-made pstats inputs: each function returns the bytes of one value. */
const enc = new TextEncoder();

export const int32 = (n: number): number[] => {
  const b = new Uint8Array(4);
  new DataView(b.buffer).setInt32(0, n, true);
  return [...b];
};

export const m = {
  int: (n: number) => [0x69, ...int32(n)],
  str: (s: string) => {
    const b = enc.encode(s);
    return [0x75, ...int32(b.length), ...b];
  },
  short: (s: string) => [0x7a, s.length, ...enc.encode(s)],
  textFloat: (s: string) => [0x66, s.length, ...enc.encode(s)],
  float: (x: number) => {
    const b = new Uint8Array(8);
    new DataView(b.buffer).setFloat64(0, x, true);
    return [0x67, ...b];
  },
  bytes: (s: string) => {
    const b = enc.encode(s);
    return [0x73, ...int32(b.length), ...b];
  },
  tuple: (...items: number[][]) => [0x28, ...int32(items.length), ...items.flat()],
  /** A value written with FLAG_REF (marshal ≥ 3): the next back-reference slot holds it. */
  flagged: ([code, ...rest]: number[]) => [code | 0x80, ...rest],
  /** A back-reference to the value in a slot. */
  ref: (slot: number) => [0x72, ...int32(slot)],
  dict: (...pairs: [number[], number[]][]) => [0x7b, ...pairs.flatMap(([k, v]) => [...k, ...v]), 0x30],
  /** A Python long from 15-bit digits, least significant first. */
  long: (digits: number[], negative = false) => [
    0x6c,
    ...int32(negative ? -digits.length : digits.length),
    ...digits.flatMap((d) => [d & 0xff, d >> 8]),
  ],
};

/** A pstats function key `(file, line, name)`. */
export const func = (file: string, line: number, name: string) => m.tuple(m.str(file), m.int(line), m.str(name));

/** The stats of one function as cProfile writes them, with its callers `[key, (nc, cc, tt, ct)]`. */
export const stats = (cc: number, nc: number, tt: number, ct: number, ...callers: [number[], number[]][]) =>
  m.tuple(m.int(cc), m.int(nc), m.float(tt), m.float(ct), m.dict(...callers));

/** The per-edge numbers of a caller. */
export const edge = (nc: number, cc: number, tt: number, ct: number) =>
  m.tuple(m.int(nc), m.int(cc), m.float(tt), m.float(ct));

/**
 * A code object as the Python of `layout` marshals it, with empty bytecode and tables: after the
 * type code, int32 fields (4 in 2.7, 5 in 3.0–3.7 and 3.11+, 6 in 3.8–3.10), then its objects.
 */
export function code(layout: '2.7' | '3.7' | '3.10' | '3.11', name: string, file: string, line: number): number[] {
  const ints = { '2.7': 4, '3.7': 5, '3.10': 6, '3.11': 5 }[layout];
  const text = layout === '2.7' ? m.bytes : m.str;
  const none = () => m.tuple();
  const fields =
    layout === '3.11'
      ? [
          m.bytes(''),
          none(),
          none(),
          none(),
          m.bytes(''),
          text(file),
          text(name),
          text(name),
          int32(line),
          m.bytes(''),
          m.bytes(''),
        ]
      : [m.bytes(''), none(), none(), none(), none(), none(), text(file), text(name), int32(line), m.bytes('')];
  return [0x63, ...new Array<number[]>(ints).fill(int32(0)).flat(), ...fields.flat()];
}
