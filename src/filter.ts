export interface CompiledFilter {
  /** Absent when the filter is empty or invalid: everything matches. */
  test?: (text: string) => boolean;
  error?: string;
}

/** A quantifier at the start of the text that repeats: `*`, `+`, `{n,}`, `{n,m}` with m > 1, `{n}` with n > 1. */
function repeats(text: string): boolean {
  const q = /^(?:[*+]|\{(\d+)(,(\d*))?\})/.exec(text);
  if (!q) return false;
  if (q[1] === undefined) return true;
  return q[2] === undefined ? Number(q[1]) > 1 : q[3] === '' || Number(q[3]) > 1;
}

/**
 * Whether a pattern repeats a group that itself holds a repetition or a choice, as `(a+)+` and
 * `(a|a)+` do: on a label that almost matches, such a pattern takes exponential time and the page
 * would hang (a link can carry a pattern). Character classes and escapes hold neither.
 */
export function repeatsRepetition(source: string): boolean {
  const inner: boolean[] = [];
  for (let i = 0; i < source.length; i++) {
    const c = source[i];
    if (c === '\\') i++;
    else if (c === '[') {
      for (i++; i < source.length && source[i] !== ']'; i++) if (source[i] === '\\') i++;
    } else if (c === '(') inner.push(false);
    else if (c === ')') {
      const held = inner.pop() ?? false;
      const quantified = repeats(source.slice(i + 1));
      if (held && quantified) return true;
      if (inner.length) inner[inner.length - 1] ||= held || quantified;
    } else if (inner.length && (c === '|' || repeats(source.slice(i)))) inner[inner.length - 1] = true;
  }
  return false;
}

/** The engine's reason, without the pattern it repeats: "Invalid regular expression: /(a/: Unterminated group" → "unterminated group". */
function regexProblem(message: string): string {
  const reason = message.replace(/^Invalid regular expression: \/.*\/[a-z]*: /s, '').replace(/\.$/, '');
  return reason.charAt(0).toLowerCase() + reason.slice(1);
}

/** A filter box's text: `/regex/flags` as a regular expression, anything else as a case-insensitive substring. */
export function compileFilter(text: string): CompiledFilter {
  const t = text.trim();
  if (!t) return {};
  const re = /^\/(.+)\/([a-z]*)$/.exec(t);
  if (re) {
    if (repeatsRepetition(re[1]))
      return {
        error:
          'This regex repeats a group that itself repeats or chooses, as (a+)+ and (a|b)+ do, and such a pattern can take forever to run: write it without the repetition inside the group.',
      };
    try {
      const regex = new RegExp(re[1], re[2].replace(/[gy]/g, ''));
      return { test: (s) => regex.test(s) };
    } catch (e) {
      return { error: `This is not a regular expression: ${regexProblem((e as Error).message)}.` };
    }
  }
  const needle = t.toLowerCase();
  return { test: (s) => s.toLowerCase().includes(needle) };
}
