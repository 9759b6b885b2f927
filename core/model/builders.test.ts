import { describe, expect, it } from 'vitest';
import { FrameTableBuilder, StringTable } from './builders';
import { FrameKind, frameKindOf } from './profile';

describe('frame kinds', () => {
  it('are absent while every frame is code, and kept per frame once one is not', () => {
    const code = new FrameTableBuilder(new StringTable(), 1);
    code.addInterned(0, 0, 1, 0);
    expect(code.build().kind).toBeUndefined();

    const b = new FrameTableBuilder(new StringTable(), 1);
    b.addInterned(0, 0, 1, 0);
    b.addInterned(1, 0, -1, 1, FrameKind.thread);
    for (let i = 0; i < 40; i++) b.addInterned(2, 0, i, 2);
    b.addInterned(3, 0, -1, 3, FrameKind.synthetic);
    const frames = b.build();
    expect(frames.kind).toHaveLength(frames.count);
    const kinds = Array.from({ length: frames.count }, (_, f) => frameKindOf(frames, f));
    expect(kinds.filter((k) => k !== FrameKind.code)).toEqual([FrameKind.thread, FrameKind.synthetic]);
    expect(kinds[1]).toBe(FrameKind.thread);
    expect(kinds.at(-1)).toBe(FrameKind.synthetic);
  });
});
