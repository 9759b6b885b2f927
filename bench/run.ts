/**
 * `npm run bench`: Kiln side by side with speedscope (folded stacks) and CPython's pstats, in one
 * run on this machine. `--smoke`: tiny inputs, one run each, to check the bench itself works.
 * `--huge`: adds a 1 GB folded file (Kiln only). A full run writes its tables into bench/results.md.
 * `--only=CASES`: just those cases (comma-separated: folded, pstats, set, limit, interaction,
 * formats, reopen), printed and not written. A smoke run fails when a file does not open.
 * `--profile`: instead, where Kiln's time goes on the 50 MB folded and 40 MB pstats files
 * (Chromium's sampling profiler on an unminified build), into bench/out/; with `--only=reopen`,
 * a trace of each reopening from the library and a summary of it.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { basename, resolve } from 'node:path';
import { launch, type MemoryPeaks } from './browser';
import { findPython, pstatsLoadMs } from './cpython';
import { decodeLimit } from './decode';
import { makeInputs, outDir, repoRoot, type Input, type InputSet } from './inputs';
import {
  callTreeInteraction,
  flameInteraction,
  flameTransformInteraction,
  transformInteraction,
  type InteractionRun,
  type TransformRun,
} from './interaction';
import {
  formatResults,
  median,
  type FoldedRow,
  type KilnResult,
  type PstatsRow,
  type ReopenRow,
  type Results,
} from './report';
import { serveDirectory } from './serve';
import { profileKiln } from './cpu-profile';
import { openInKiln, openInSpeedscope, type KilnFirstView, type OpenRun } from './viewers';
import { openSetInKiln, pstatsStatsAllMs, requestSet } from './profile-set';
import { reopenFromLibrary } from './reopen';

const args = new Set(process.argv.slice(2));
const smoke = args.has('--smoke');
const huge = args.has('--huge');
const profile = args.has('--profile');
const CASES = ['folded', 'pstats', 'set', 'limit', 'interaction', 'formats', 'reopen'] as const;
type Case = (typeof CASES)[number];
const onlyArg = process.argv.find((a) => a.startsWith('--only='));
const only = onlyArg ? new Set(onlyArg.slice('--only='.length).split(',')) : null;
for (const c of only ?? [])
  if (!(CASES as readonly string[]).includes(c)) throw new Error(`no case ${c}: ${CASES.join(', ')}`);
const measures = (c: Case) => !only || only.has(c);
const runs = smoke ? 1 : 3;
const interactionFrames = smoke ? 60 : 300;
/** speedscope needs minutes and gigabytes past a few hundred MB; the 1 GB file is opened in Kiln only. */
const SPEEDSCOPE_MAX_BYTES = 500e6;
/** The other formats speedscope 1.25 imports (Firefox's only as Gecko records it, not processed). */
const SPEEDSCOPE_READS = new Set<Input['kind']>(['speedscope', 'chrome-trace', 'callgrind', 'pprof']);

const log = (s: string) => process.stderr.write(`${s}\n`);
const resultsFile = resolve(repoRoot, 'bench/results.md');
const BEGIN = '<!-- bench:begin -->';
const END = '<!-- bench:end -->';

function medianPeaks(peaks: MemoryPeaks[]): MemoryPeaks {
  return {
    pageHeap: median(peaks.map((p) => p.pageHeap)),
    workerHeap: median(peaks.map((p) => p.workerHeap)),
    rendererRss: median(peaks.map((p) => p.rendererRss)),
  };
}

async function repeat<T>(what: string, run: () => Promise<T>): Promise<T[]> {
  const out: T[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    out.push(await run());
    log(`  ${what} ${i + 1}/${runs}: ${Math.round(performance.now() - t)} ms`);
  }
  return out;
}

async function kiln(appUrl: string, input: Input): Promise<KilnResult> {
  try {
    return await kilnRuns(appUrl, input);
  } catch (e) {
    log(`  Kiln failed on ${input.path}: ${(e as Error).message}`);
    return {
      times: {},
      memory: { pageHeap: NaN, workerHeap: NaN, rendererRss: NaN },
      error: (e as Error).message.split('\n')[0],
    };
  }
}

async function kilnRuns(appUrl: string, input: Input): Promise<KilnResult> {
  const table = await repeat(`Kiln table ${input.path}`, () => openInKiln(appUrl, input.path, 'table'));
  const flame = await repeat(`Kiln flame ${input.path}`, () => openInKiln(appUrl, input.path, 'flame'));
  const all: OpenRun[] = [...table, ...flame];
  return {
    times: {
      model: median(all.map((r) => r.times.model ?? NaN)),
      table: median(table.map((r) => r.times.table ?? NaN)),
      flame: median(flame.map((r) => r.times.flame ?? NaN)),
    },
    memory: medianPeaks(flame.map((r) => r.memory)),
  };
}

async function speedscope(url: string, input: Input): Promise<FoldedRow['speedscope']> {
  if (input.size > SPEEDSCOPE_MAX_BYTES) return { skipped: `not run past ${SPEEDSCOPE_MAX_BYTES / 1e6} MB` };
  if (input.kind !== 'folded' && !SPEEDSCOPE_READS.has(input.kind)) return { skipped: 'does not read it' };
  try {
    const opened = await repeat(`speedscope ${input.path}`, () => openInSpeedscope(url, input.path));
    return { flame: median(opened.map((r) => r.times.flame ?? NaN)), memory: medianPeaks(opened.map((r) => r.memory)) };
  } catch (e) {
    return { error: (e as Error).message.split('\n')[0] };
  }
}

/** Prints and keeps the heaviest functions of opening each file in Kiln. */
async function profileKilnRuns(inputs: InputSet): Promise<void> {
  const dist = resolve(outDir, 'dist-profile');
  execFileSync('npx', ['vite', 'build', '--minify', 'false', '--outDir', dist, '--emptyOutDir'], {
    cwd: repoRoot,
    stdio: 'inherit',
  });
  const app = await serveDirectory(dist);
  try {
    if (measures('reopen'))
      for (const [input, first] of [
        [inputs.reopen.flame, 'flame'],
        [inputs.reopen.table, 'table'],
      ] as const) {
        const stem = resolve(outDir, `${basename(input.path)}.reopen.${first}`);
        await reopenFromLibrary(app.url, input.path, first, stem);
        process.stdout.write(
          `\nreopened ${basename(input.path)}, ${first} (${stem}.json):\n${readFileSync(`${stem}.txt`, 'utf8')}`,
        );
      }
    const cases: [Input | undefined, KilnFirstView][] =
      measures('folded') || measures('pstats')
        ? [
            [inputs.folded[1], 'flame'],
            [inputs.pstats[inputs.pstats.length - 1], 'table'],
          ]
        : [];
    for (const [input, first] of cases) {
      if (!input) continue;
      const hot = await profileKiln(app.url, input.path, first, 20);
      const text = hot
        .map(
          (h) =>
            `${h.thread.padEnd(6)} ${h.ms.toFixed(0).padStart(7)} ms ${(100 * h.share).toFixed(1).padStart(5)} %  ${h.name}`,
        )
        .join('\n');
      const file = resolve(outDir, `${basename(input.path)}.${first}.profile.txt`);
      writeFileSync(file, `${text}\n`);
      process.stdout.write(`\n${basename(input.path)}, first ${first} (self time; ${file}):\n${text}\n`);
    }
  } finally {
    await app.close();
  }
}

async function main(): Promise<void> {
  const dist = resolve(repoRoot, 'dist');
  if (!smoke || !existsSync(resolve(dist, 'index.html')))
    execFileSync('npx', ['vite', 'build'], { cwd: repoRoot, stdio: 'inherit' });
  const python = findPython();
  const inputs = makeInputs(smoke ? 'smoke' : 'full', huge, python?.command ?? null, log);
  if (profile) return profileKilnRuns(inputs);
  const speedscopeDir = resolve(repoRoot, 'node_modules/speedscope/dist/release');
  const app = await serveDirectory(dist);
  const peer = await serveDirectory(speedscopeDir);
  const startLoad = loadavg()[0];
  try {
    const browser = await launch();
    const browserVersion = browser.version();
    await browser.close();

    const folded: FoldedRow[] = [];
    for (const input of measures('folded') ? inputs.folded : []) {
      folded.push({ input, kiln: await kiln(app.url, input), speedscope: await speedscope(peer.url, input) });
    }
    const formats: FoldedRow[] = [];
    for (const input of measures('formats') ? inputs.formats : []) {
      formats.push({ input, kiln: await kiln(app.url, input), speedscope: await speedscope(peer.url, input) });
    }
    const pstats: PstatsRow[] = [];
    for (const input of measures('pstats') ? inputs.pstats : []) {
      const cpython = python
        ? median(Array.from({ length: runs }, () => pstatsLoadMs(python.command, input.path)))
        : undefined;
      pstats.push({ input, kiln: await kiln(app.url, input), cpython });
    }
    const reopen: ReopenRow[] = [];
    for (const [input, first] of measures('reopen')
      ? ([
          [inputs.reopen.flame, 'flame'],
          [inputs.reopen.table, 'table'],
        ] as const)
      : []) {
      reopen.push(await reopenRow(app.url, input, first));
    }
    const requests = python && measures('set') ? requestSet(smoke ? 20 : 1000, python.command, log) : null;
    const set = requests
      ? {
          input: requests,
          kiln: await repeat(`Kiln set of ${requests.files}`, () => openSetInKiln(app.url, requests)),
          cpython: median(Array.from({ length: runs }, () => pstatsStatsAllMs(python!.command, requests.dir))),
        }
      : undefined;
    // The service's own file, the one every run has had: the other kinds differ in what is done per byte.
    const limitInput = () =>
      inputs.folded.filter((i) => i.size <= SPEEDSCOPE_MAX_BYTES && /^folded-[\d.]+mb/.test(basename(i.path))).pop()!;
    const limit = measures('limit')
      ? { ...(await decodeLimit(limitInput().path, runs)), input: limitInput() }
      : undefined;
    const medianRun = (runs: InteractionRun[]) => ({
      input: inputs.interaction,
      nodes: runs[0].nodes,
      frames: runs[0].frames,
      p50: median(runs.map((m) => m.p50)),
      p95: median(runs.map((m) => m.p95)),
      max: median(runs.map((m) => m.max)),
    });
    const interaction = measures('interaction')
      ? medianRun(
          await repeat('interaction', () => flameInteraction(app.url, inputs.interaction.path, interactionFrames)),
        )
      : undefined;
    const callTree = measures('interaction')
      ? medianRun(
          await repeat('call tree', () => callTreeInteraction(app.url, inputs.interaction.path, interactionFrames)),
        )
      : undefined;
    const transformRuns = measures('interaction')
      ? await repeat('transforms', () => transformInteraction(app.url, inputs.interaction.path))
      : undefined;
    const medianTimes = (runs: TransformRun[]) => ({
      input: inputs.interaction,
      nodes: runs[0].nodes,
      times: runs[0].times.map(({ transform }, k) => ({
        transform,
        ms: median(runs.map((r) => r.times[k].ms)),
        wholeMs: median(runs.map((r) => r.times[k].wholeMs)),
        cpuMs: median(runs.map((r) => r.times[k].cpuMs)),
      })),
    });
    const transforms = transformRuns && medianTimes(transformRuns);
    const flameTransforms = measures('interaction')
      ? medianTimes(
          await repeat('flame graph transforms', () => flameTransformInteraction(app.url, inputs.interaction.path)),
        )
      : undefined;

    const speedscopeVersion = readFileSync(resolve(speedscopeDir, 'release.txt'), 'utf8').split('\n')[0];
    const results: Results = {
      env: {
        date: new Date().toISOString().slice(0, 16).replace('T', ' '),
        commit: execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: repoRoot, encoding: 'utf8' }).trim(),
        cores: cpus().length,
        cpu: cpus()[0]?.model.trim() ?? 'unknown CPU',
        memoryGiB: Math.round(totalmem() / 2 ** 30),
        load: [startLoad, loadavg()[0]],
        browser: browserVersion.startsWith('Chrom') ? browserVersion : `Chromium ${browserVersion}`,
        node: process.versions.node,
        python: python?.version ?? null,
        speedscope: speedscopeVersion.replace(/^speedscope@/, ''),
        runs,
      },
      folded,
      formats,
      pstats,
      reopen,
      limit,
      interaction,
      set: set && {
        input: set.input,
        listedAndMerged: median(set.kiln.map((r) => r.listedAndMerged)),
        memory: medianPeaks(set.kiln.map((r) => r.memory)),
        cpython: set.cpython,
      },
      callTree,
      transforms,
      flameTransforms,
    };
    const text = formatResults(results);
    process.stdout.write(`${text}\n`);
    const failed = [
      ...[...folded, ...formats, ...pstats].filter((row) => row.kiln.error),
      ...reopen.filter((row) => row.error),
    ].map((row) => basename(row.input.path));
    if (smoke && failed.length > 0) throw new Error(`Kiln did not open ${failed.join(', ')}`);
    if (!smoke && !only) writeResults(text);
  } finally {
    await app.close();
    await peer.close();
  }
}

/** Medians of reopening `input` from the library after a reload; a failure is the row's error, as for an open. */
async function reopenRow(appUrl: string, input: Input, first: KilnFirstView): Promise<ReopenRow> {
  try {
    const times = await repeat(`Kiln reopen ${input.path} (${first})`, () =>
      reopenFromLibrary(appUrl, input.path, first),
    );
    return { input, first, ms: median(times.map((t) => t[first] ?? NaN)) };
  } catch (e) {
    log(`  Kiln reopen failed on ${input.path}: ${(e as Error).message}`);
    return { input, first, ms: NaN, error: (e as Error).message.split('\n')[0] };
  }
}

/** Replaces the measured part of bench/results.md, keeping the text around it. */
function writeResults(tables: string): void {
  const block = `${BEGIN}\n${tables}\n${END}`;
  const old = existsSync(resultsFile) ? readFileSync(resultsFile, 'utf8') : `# Bench results\n\n${BEGIN}\n${END}\n`;
  const start = old.indexOf(BEGIN),
    end = old.indexOf(END);
  writeFileSync(
    resultsFile,
    start >= 0 && end > start ? old.slice(0, start) + block + old.slice(end + END.length) : `${old}\n${block}\n`,
  );
  log(`wrote ${resultsFile}`);
}

main().catch((e) => {
  log(e instanceof Error ? (e.stack ?? e.message) : String(e));
  process.exit(1);
});
