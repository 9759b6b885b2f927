/**
 * One command per profiler a Python user may have, each writing a file Kiln reads, for `app.py`.
 * The first screen lists them, and README's quick start the same.
 */
export const PROFILER_COMMANDS: readonly { profiler: string; command: string }[] = [
  { profiler: 'cProfile (any Python)', command: 'python -m cProfile -o out.prof app.py' },
  { profiler: 'Python 3.15 sampler', command: 'python -m profiling.sampling run -a --binary -o out.bin app.py' },
  { profiler: 'py-spy', command: 'py-spy record --format speedscope -o out.json -- python app.py' },
  { profiler: 'pyinstrument', command: 'pyinstrument -r pstats -o out.prof app.py' },
  { profiler: 'austin', command: 'austin -o out.austin python app.py' },
  { profiler: 'yappi', command: 'python -m yappi -o out.prof app.py' },
];
