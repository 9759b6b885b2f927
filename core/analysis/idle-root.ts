import { FrameKind, type Profile } from '../model/profile';
import { appendStrings, stringCount } from '../model/string-pack';

/**
 * The profile with its idle samples as one more root frame, "(idle)", so the graphs show idle
 * time as its own share next to the real stacks. The frame is made up (`FrameKind.synthetic`); the
 * others keep their kinds.
 */
export function withIdleRoot(p: Profile): Profile {
  if (p.idle <= 0) return p;
  const strings = appendStrings(p.strings, ['(idle)', '']);
  const s = stringCount(strings) - 2;
  const noFile = s + 1;
  const grow = (a: Int32Array, v: number) => {
    const out = new Int32Array(a.length + 1);
    out.set(a);
    out[a.length] = v;
    return out;
  };
  const growF = (a: Float64Array, v: number) => {
    const out = new Float64Array(a.length + 1);
    out.set(a);
    out[a.length] = v;
    return out;
  };
  const f = p.frames;
  const frame = f.count;
  const kind = new Uint8Array(f.count + 1);
  if (f.kind) kind.set(f.kind);
  kind[frame] = FrameKind.synthetic;
  const t = p.tree;
  return {
    ...p,
    strings,
    frames: {
      count: f.count + 1,
      file: grow(f.file, noFile),
      line: grow(f.line, -1),
      name: grow(f.name, s),
      label: grow(f.label, s),
      kind,
    },
    tree: {
      count: t.count + 1,
      parent: grow(t.parent, -1),
      frame: grow(t.frame, frame),
      depth: grow(t.depth, 0),
      size: grow(t.size, 1),
      self: growF(t.self, p.idle),
      total: growF(t.total, p.idle),
    },
  };
}
