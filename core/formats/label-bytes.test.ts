import { describe, expect, it } from 'vitest';
import { StringTable } from '~/core/model/builders';
import { stringAt } from '~/core/model/string-pack';
import { LabelBytes } from './label-bytes';
import { frameLabel } from './stack-profile';

const ascii = new TextEncoder();

describe('LabelBytes', () => {
  it('writes each label as frameLabel does, among strings that stay as they were', () => {
    const parts: [string, string, number][] = [
      ['main', '/srv/app/main.py', 12],
      ['<module>', '', -1],
      ['run', 'job.py', -1],
      ['', 'empty-name.py', 0],
      ['f', '', 7],
    ];
    const strings = new StringTable();
    const labels = new LabelBytes(strings);
    const expected: string[] = [];
    for (const [name, file, line] of parts) {
      expected[strings.intern(name)] = name;
      const lineText = line >= 0 ? String(line) : '';
      const b = ascii.encode(`${name}${file}${lineText}`);
      const f = name.length,
        l = f + file.length;
      expected[labels.add(b, 0, f, f, l, l, l + lineText.length)] = frameLabel(name, file, line);
    }
    const packed = labels.pack(strings.strings);
    expect(Array.from({ length: expected.length }, (_, i) => stringAt(packed, i))).toEqual(expected);
  });

  it('packs plain strings when no label was written as bytes', () => {
    const strings = new StringTable();
    strings.intern('a');
    strings.intern('bc');
    const packed = new LabelBytes(strings).pack(strings.strings);
    expect([stringAt(packed, 0), stringAt(packed, 1)]).toEqual(['a', 'bc']);
  });
});
