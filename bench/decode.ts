/** What the browser itself needs to read a file: the ceiling for any viewer that reads it all. */
import { launch } from './browser';
import { median } from './report';

export interface DecodeLimit {
  /** MB/s of `File.arrayBuffer()`. */
  read: number;
  /** MB/s of `TextDecoder.decode` (UTF-8) over those bytes. */
  decode: number;
}

/** Medians of `runs` reads and decodes of `file` in one page. */
export async function decodeLimit(file: string, runs: number): Promise<DecodeLimit> {
  const browser = await launch();
  try {
    const page = await browser.newPage();
    await page.setContent('<input type="file">');
    await page.setInputFiles('input', file);
    // Plain loops only: a function handed to the page must not lean on helpers of its compiler.
    const times = await page.evaluate(async (runs) => {
      const input = document.querySelector('input')!.files![0];
      const read: number[] = [],
        decode: number[] = [];
      for (let i = 0; i < runs; i++) {
        let t = performance.now();
        const bytes = await input.arrayBuffer();
        read.push(performance.now() - t);
        t = performance.now();
        const text = new TextDecoder().decode(bytes);
        decode.push(performance.now() - t);
        if (text.length === 0) throw new Error('nothing decoded');
      }
      return { read, decode, size: input.size };
    }, runs);
    const mbps = (t: number[]) => times.size / 1e6 / (median(t) / 1000);
    return { read: mbps(times.read), decode: mbps(times.decode) };
  } finally {
    await browser.close();
  }
}
