/** What a refusal tells the user Kiln reads instead. */
export const FORMATS_READ =
  'Kiln reads pstats (cProfile, profile, pyinstrument -r pstats), speedscope JSON, Chrome trace events (py-spy --format chrometrace, viztracer), pyinstrument sessions, JSON and HTML, the Python 3.15 sampler (Tachyon: pstats, collapsed, gecko, binary, flame graph page), callgrind, pprof, austin MOJO (binary), and stack text: folded stacks, py-spy raw, austin, Pyflame, gProfiler';
