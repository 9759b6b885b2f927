/**
 * What tells a file of a set apart without reading it: its size and date. In Chromium a File's
 * first `size` or `lastModified` on a thread is a synchronous round trip to the browser process,
 * and the thread that reads the file asks for its size anyway: it takes the stamp there.
 */
export interface FileStamp {
  size: number;
  lastModified: number;
}

export const stampOf = (blob: Blob): FileStamp => ({
  size: blob.size,
  lastModified: (blob as Partial<File>).lastModified ?? 0,
});
