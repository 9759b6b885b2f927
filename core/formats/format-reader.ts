import type { Profile } from '../model/profile';
import type { PstatsReading } from './pstats/read-pstats';

/** What reading a file gives: a profile, or (pstats) one whose calls are read when asked for. */
export type Reading = Profile | PstatsReading;

/**
 * What every format family gives the registry: how it knows its data, and how it reads it into
 * the model. The data is the file's with gzip undone.
 */
export type FormatReader = {
  /** The family's name, as messages and tests say it. */
  readonly name: string;
  /** Whether the data's first bytes (up to `HEAD_BYTES`) are this family's. */
  recognizes(head: Uint8Array): boolean;
} & (
  | { readonly input: 'bytes'; read(bytes: Uint8Array, fileName: string): Reading }
  | {
      readonly input: 'stream';
      /** `size`: the file's size as stored (gzip'd data is larger), for readers that size their memory up front. */
      read(data: ReadableStream<Uint8Array>, fileName: string, size: number): Promise<Reading>;
    }
);

/** The name of the baseline side of a file that holds two profiles (see `Profile.baseline`). */
export const baselineName = (fileName: string): string => `${fileName} (before)`;
