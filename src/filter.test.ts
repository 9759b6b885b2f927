import { describe, expect, it } from 'vitest';
import { compileFilter, repeatsRepetition } from './filter';

describe('filter and search text', () => {
  it('refuses a regex that repeats a group that repeats or chooses, which can take forever, and says why', () => {
    for (const pattern of [
      '(a+)+$',
      '(x*)*y',
      '(?:\\w+\\s?)*!',
      '((a+)b){2,}',
      '(a{1,})+',
      '(a|a)+$',
      '(a+){2,40}$',
      '(.*a){25}$',
      '(fib|walk_tree)+',
    ]) {
      expect(repeatsRepetition(pattern)).toBe(true);
      expect(compileFilter(`/${pattern}/`).error).toMatch(/repeats a group that itself repeats or chooses/);
    }
    expect(compileFilter('/(a+)+$/').test).toBeUndefined();
  });

  it('says why a regex is refused in whole sentences: a capital first, a full stop last', () => {
    for (const text of ['/(a+)+$/', '/(unclosed/', '/a{2,1}/']) {
      const { error } = compileFilter(text);
      expect(error).toMatch(/^[A-Z].*\.$/s);
      expect(error).not.toMatch(/\.\.$/);
    }
    expect(compileFilter('/(unclosed/').error).toBe('This is not a regular expression: unterminated group.');
  });

  it('takes regexes that repeat only single items or plain groups, choices not repeated, and escaped or bracketed parentheses', () => {
    for (const pattern of [
      '^work$',
      '^(fib|walk_tree)$',
      '(ab){2,5}',
      '(a+){1}',
      '(a+)?',
      '\\(a+\\)+',
      '[(|]a+[)]+',
      'a+b*',
      '(a+)b',
    ]) {
      expect(repeatsRepetition(pattern)).toBe(false);
    }
    const f = compileFilter('/^(fib|walk)_?\\w+$/');
    expect(f.test?.('walk_tree')).toBe(true);
    expect(f.test?.('main')).toBe(false);
  });

  it('reads other text as a case-insensitive substring', () => {
    const f = compileFilter('  Work ');
    expect(f.test?.('/srv/workloads.py:12(run)')).toBe(true);
    expect(compileFilter('   ')).toEqual({});
  });
});
