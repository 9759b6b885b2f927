import { describe, expect, it } from 'vitest';
import { baselineAndNew, middleTime } from './baseline-group';

const named = (...names: string[]) => names.map((name) => ({ name }));
const pick = (names: string[], age: (name: string) => number | null = () => null) =>
  baselineAndNew(named(...names), (g) => age(g.name)).map((g) => g.name);

describe('the baseline of a comparison of groups', () => {
  it.each([
    [
      ['after', 'before'],
      ['before', 'after'],
    ],
    [
      ['runs/new', 'runs/old'],
      ['runs/old', 'runs/new'],
    ],
    [
      ['fix', 'main'],
      ['main', 'fix'],
    ],
    [
      ['patched', 'baseline'],
      ['baseline', 'patched'],
    ],
    [
      ['Before-fix', 'After-fix'],
      ['Before-fix', 'After-fix'],
    ],
    [
      ['candidate', 'x', 'reference'],
      ['reference', 'candidate'],
    ],
    [
      ['a', 'new'],
      ['a', 'new'],
    ],
  ])('%j: baseline and new %j, as the names say', (names, expected) => expect(pick(names)).toEqual(expected));

  it('else the group whose files are older', () => {
    const age = (name: string) => ({ monday: 2, tuesday: 1 })[name] ?? null;
    expect(pick(['monday', 'tuesday'], age)).toEqual(['tuesday', 'monday']);
    expect(pick(['tuesday', 'monday'], age)).toEqual(['tuesday', 'monday']);
    expect(pick(['one', 'two'])).toEqual(['one', 'two']);
  });

  it('takes the middle time of files, none for blobs that are not files', () => {
    const file = (t: number) => new File(['x'], 'f', { lastModified: t });
    expect(middleTime([file(30), file(10), file(20)])).toBe(20);
    expect(middleTime([new Blob(['x'])])).toBeNull();
  });
});
