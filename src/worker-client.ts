import * as Comlink from 'comlink';
import type { Progress } from '../workers/open-profile';
import type { ParseResult, WorkerApi } from '../workers/worker';

/** The parsing worker. A new one replaces it when a parse is cancelled or the worker dies. */
export class ParserWorker {
  private worker: Worker | null = null;
  private api: Comlink.Remote<WorkerApi> | null = null;

  private start(): Comlink.Remote<WorkerApi> {
    if (!this.api) {
      this.worker = new Worker(new URL('../workers/worker.ts', import.meta.url), { type: 'module' });
      this.api = Comlink.wrap<WorkerApi>(this.worker);
    }
    return this.api;
  }

  /** Parses a file in the worker; the Blob is handed over by reference, never copied into the page. */
  parse(blob: Blob, fileName: string, progress: Progress): Promise<ParseResult> {
    const api = this.start();
    const worker = this.worker!;
    const died = new Promise<ParseResult>((resolve) => {
      worker.addEventListener(
        'error',
        (e) => {
          this.stop();
          resolve({ ok: false, message: `the parser stopped unexpectedly${e.message ? `: ${e.message}` : ''}` });
        },
        { once: true },
      );
    });
    return Promise.race([api.parse(blob, fileName, Comlink.proxy(progress)), died]);
  }

  /** The SHA-256 of a file's bytes as hex, computed in the worker like the parse; null when it cannot be. */
  hash(blob: Blob): Promise<string | null> {
    return this.start().hash(blob);
  }

  /** Stops whatever the worker is doing; the next parse starts a fresh one. */
  stop(): void {
    this.worker?.terminate();
    this.worker = null;
    this.api = null;
  }
}
