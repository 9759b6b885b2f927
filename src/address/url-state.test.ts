import { describe, expect, it } from 'vitest';
import { addressOf, decodeViewState, encodeViewState, fitViewState } from './url-state';
import { initialViewState, type ViewState } from './view-state';

const state = (part: Partial<ViewState>): ViewState => ({ ...initialViewState(), ...part });

describe('view state in the URL fragment', () => {
  it('leaves the initial state out', () => {
    expect(encodeViewState(initialViewState())).toBe('');
    expect(decodeViewState('')).toEqual(initialViewState());
    expect(decodeViewState('#')).toEqual(initialViewState());
  });

  it('writes every part and reads it back', () => {
    const s = state({
      view: 'flame',
      selected: 12,
      sort: { column: 'tottime', ascending: true },
      filter: '/^\\{built-in/',
      search: 'a & b = c #d',
      zoom: [0, 7, 12],
      asShares: true,
      groupSums: true,
      overBaseline: true,
      baseline: 'ab'.repeat(32),
    });
    const fragment = encodeViewState(s);
    expect(fragment).toBe(
      `view=flame&sel=12&sort=tottime&filter=%2F%5E%5C%7Bbuilt-in%2F&search=a+%26+b+%3D+c+%23d&zoom=0.7.12&shares=1&sums=1&drawn=baseline&base=${'ab'.repeat(32)}`,
    );
    expect(decodeViewState(`#${fragment}`)).toEqual(s);
    expect(decodeViewState('#base=not-a-key').baseline).toBeNull();
  });

  it('reads the documented form', () => {
    expect(decodeViewState('#view=table&sel=0&sort=-tottime%25&filter=work&search=foo')).toEqual(
      state({ selected: 0, sort: { column: 'tottime%', ascending: false }, filter: 'work', search: 'foo' }),
    );
  });

  it('round-trips any column name and any text', () => {
    for (const column of ['cumtime%', 'file:line', 'a b', 'ünïcode']) {
      for (const ascending of [true, false]) {
        const s = state({ sort: { column, ascending }, filter: `${column}/&=?#`, search: '%20+' });
        expect(decodeViewState(encodeViewState(s))).toEqual(s);
      }
    }
  });

  it('keeps the transforms in order, one tf each, and skips those it cannot read', () => {
    const s = state({
      view: 'calltree',
      transforms: [
        { kind: 'hide-library' },
        { kind: 'collapse-resource', path: '/usr/lib/python3.12/json' },
        { kind: 'focus-subtree', path: [0, 3] },
      ],
    });
    const fragment = encodeViewState(s);
    expect(fragment).toBe('view=calltree&tf=hide-lib&tf=collapse%3A%2Fusr%2Flib%2Fpython3.12%2Fjson&tf=focus%3A0%2C3');
    expect(decodeViewState(fragment)).toEqual(s);
    expect(decodeViewState('tf=merge:x&tf=drop:4').transforms).toEqual([{ kind: 'drop-function', frame: 4 }]);
  });

  it('keeps which square map is shown and where the map of code is zoomed', () => {
    const s = state({
      view: 'squaremap',
      squareMap: 'code',
      codeZoom: ['yours', '/home/dev/a&b', 'x=y'],
      zoom: [0, 2],
    });
    const fragment = encodeViewState(s);
    expect(fragment).toBe('view=squaremap&zoom=0.2&map=code&mz=yours&mz=%2Fhome%2Fdev%2Fa%26b&mz=x%3Dy');
    expect(decodeViewState(fragment)).toEqual(s);
    expect(decodeViewState('view=squaremap&map=other').squareMap).toBe('calls');
  });

  it('ignores what it cannot read', () => {
    expect(decodeViewState('view=nonsense&sel=-3&sort=&other=1')).toEqual(initialViewState());
    expect(decodeViewState('sel=1.5')).toEqual(initialViewState());
    expect(decodeViewState('sel=99999999999999999999')).toEqual(initialViewState());
    expect(decodeViewState('view=toString')).toEqual(initialViewState());
    for (const zoom of ['1..2', '.1', '1.', '-1', '1.x', '1.9999999999'])
      expect(decodeViewState(`zoom=${zoom}`)).toEqual(initialViewState());
  });

  it('drops a selection the profile does not have', () => {
    expect(fitViewState(state({ selected: 5 }), 5).selected).toBeNull();
    expect(fitViewState(state({ selected: 4 }), 5).selected).toBe(4);
    expect(fitViewState(state({ zoom: [0, 5] }), 5).zoom).toEqual([]);
    expect(fitViewState(state({ zoom: [0, 4] }), 5).zoom).toEqual([0, 4]);
    expect(fitViewState(state({ threads: [1, 7, 4] }), 5).threads).toEqual([1, 4]);
  });

  it('keeps the chosen threads and their merging', () => {
    for (const threads of [null, [], [3], [0, 12]]) {
      for (const mergeThreads of [false, true]) {
        const s = state({ threads, mergeThreads });
        expect(decodeViewState(encodeViewState(s))).toEqual(s);
      }
    }
    expect(encodeViewState(state({ threads: [0, 12], mergeThreads: true }))).toBe('threads=0%2C12&merge=1');
    expect(decodeViewState('threads=1,x').threads).toBeNull();
    expect(decodeViewState('threads=2,2').threads).toEqual([2]);
  });
});

describe('the address of a view', () => {
  const base = 'https://example.org/tools/kiln/';

  it('names the hosted profile and the view', () => {
    const address = addressOf(`${base}?url=https://h.test/a.prof`, 'https://h.test/a.prof', state({ selected: 3 }));
    expect(address).toBe(`${base}?url=https://h.test/a.prof#sel=3`);
    const url = new URL(address);
    expect(url.searchParams.get('url')).toBe('https://h.test/a.prof');
    expect(decodeViewState(url.hash).selected).toBe(3);
  });

  it('adds, replaces and removes the profile URL, keeping other parameters', () => {
    expect(
      new URL(addressOf(`${base}?lang=en`, 'https://h.test/a b.prof', initialViewState())).searchParams.get('url'),
    ).toBe('https://h.test/a b.prof');
    expect(addressOf(`${base}?lang=en&url=x#sel=1`, null, initialViewState())).toBe(`${base}?lang=en`);
  });
});
