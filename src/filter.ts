export interface CompiledFilter {
  /** Absent when the filter is empty or invalid: everything matches. */
  test?: (text: string) => boolean;
  error?: string;
}

/** A filter box's text: `/regex/flags` as a regular expression, anything else as a case-insensitive substring. */
export function compileFilter(text: string): CompiledFilter {
  const t = text.trim();
  if (!t) return {};
  const re = /^\/(.+)\/([a-z]*)$/.exec(t);
  if (re) {
    try {
      const regex = new RegExp(re[1], re[2].replace(/[gy]/g, ''));
      return { test: (s) => regex.test(s) };
    } catch (e) {
      return { error: `invalid regex: ${(e as Error).message}` };
    }
  }
  const needle = t.toLowerCase();
  return { test: (s) => s.toLowerCase().includes(needle) };
}
