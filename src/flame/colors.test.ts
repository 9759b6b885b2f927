import { describe, expect, it } from 'vitest';
import { parseSpeedscope } from '~/core/formats/speedscope/read-speedscope';
import { stringAt } from '~/core/model/string-pack';
import { fixtureFiles, readBytes } from '~/test/fixtures';
import { codeKind } from './colors';

/** A full path as py-spy's raw output writes it: relative to the `sys.path` entry holding it. */
const relativeToSysPath = (file: string) =>
  file
    .replace(/^.*\/lib\/python3\.\d+\/(site-packages\/)?/, '')
    .replace(/^.*\/(site|dist)-packages\//, '')
    .replace(/^\/srv\/fx\/shop\//, '');

describe('where code lives', () => {
  it('a path relative to sys.path is placed as its full path is, for every frame py-spy recorded', () => {
    let relative = 0;
    for (const f of fixtureFiles('pyspy', '.speedscope.json').filter((x) => !x.includes('torn'))) {
      const p = parseSpeedscope(readBytes(f), f);
      for (let i = 0; i < p.frames.count; i++) {
        const file = stringAt(p.strings, p.frames.file[i]);
        if (!file.startsWith('/')) continue;
        const label = stringAt(p.strings, p.frames.label[i]);
        expect([relativeToSysPath(file), codeKind(relativeToSysPath(file), label)]).toEqual([
          relativeToSysPath(file),
          codeKind(file, label),
        ]);
        relative++;
      }
    }
    expect(relative).toBeGreaterThan(200);
  });

  it.each([
    ['json/encoder.py', 'stdlib'],
    ['random.py', 'stdlib'],
    ['<frozen importlib._bootstrap>', 'stdlib'],
    ['certifi/core.py', 'thirdparty'],
    ['requests/sessions.py', 'thirdparty'],
    ['/usr/lib/python3/dist-packages/pyinstrument/__main__.py', 'thirdparty'],
    ['modern.py', 'user'],
    ['/srv/fx/shop/modern.py', 'user'],
    ['<built-in>', 'builtin'],
  ])('%s is %s', (file, kind) => expect(codeKind(file, 'f')).toBe(kind));

  it('thread and process frames are neither code nor built-ins', () => {
    expect(codeKind('', 'thread (25460): MainThread')).toBe('other');
    expect(codeKind('', 'process 26097:"python app.py"')).toBe('other');
  });
});
