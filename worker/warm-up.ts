import { readProfile } from '~/core/formats/open-profile';

/**
 * Reads `blob` (a small real profile bundled with the app) `reads` times, each read in a task of
 * its own, the pstats calls and estimated tree included, until `interrupted` says work of the
 * user's has come. A file's first read in a fresh worker runs mostly in V8's interpreter and
 * compiler (a 2 MB pstats table: 150 ms of CPU cold, 13 ms warm in Node); reads of a small file
 * give each loop its type feedback, so that a user's file, opened seconds after the page, finds
 * the readers compiled. A file handed over meanwhile waits for one small read at most.
 */
export async function warmUp(blob: Blob, reads: number, interrupted: () => boolean): Promise<void> {
  for (let i = 0; i < reads; i++) {
    await nextTask();
    if (interrupted()) return;
    const opened = await readProfile(blob, 'warm-up.prof');
    if (interrupted()) return;
    if ('calls' in opened) opened.calls();
  }
}

const nextTask = () => new Promise<void>((resolve) => setTimeout(resolve, 0));
