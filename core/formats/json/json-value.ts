/**
 * Reading untrusted JSON. `JSON.parse` is iterative in every engine Kiln runs on, so nesting
 * cannot overflow it; what the readers add: keys are looked up as own properties only (a
 * `__proto__` or `constructor` key is data, never a prototype), values are checked for their type
 * before use, and every walk over the result is a loop, not a recursion.
 */
import { ProfileError } from '~/core/model/profile';

export type JsonRecord = { readonly [key: string]: unknown };

export const isRecord = (x: unknown): x is JsonRecord => typeof x === 'object' && x !== null && !Array.isArray(x);

/** `o[key]` when `o` is an object that holds `key` itself; undefined otherwise. */
export function own(o: unknown, key: string): unknown {
  return isRecord(o) && Object.hasOwn(o, key) ? o[key] : undefined;
}

export const ownString = (o: unknown, key: string): string | undefined => {
  const v = own(o, key);
  return typeof v === 'string' ? v : undefined;
};

/** A finite number at `key`, or undefined. */
export const ownNumber = (o: unknown, key: string): number | undefined => {
  const v = own(o, key);
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
};

export const ownArray = (o: unknown, key: string): unknown[] | undefined => {
  const v = own(o, key);
  return Array.isArray(v) ? v : undefined;
};

/** The text of UTF-8 (or marked UTF-16) bytes, undecodable bytes replaced as a browser would. */
export function decodeText(bytes: Uint8Array): string {
  const encoding =
    bytes[0] === 0xff && bytes[1] === 0xfe ? 'utf-16le' : bytes[0] === 0xfe && bytes[1] === 0xff ? 'utf-16be' : 'utf-8';
  return new TextDecoder(encoding).decode(bytes).replace(/^\ufeff/, '');
}

/** The value of JSON `text`, or a ProfileError naming `what` and where the text stops being JSON. */
export function parseJson(text: string, what: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    const detail = e instanceof Error ? e.message.replace(/^JSON\.parse: /, '') : 'not JSON';
    throw new ProfileError(`this looks like ${what}, but it is not valid JSON: ${detail}`);
  }
}

/** The first `n` characters of `bytes` decoded, to tell a JSON format by its start. */
export function headText(head: Uint8Array, n = 4096): string {
  return decodeText(head.subarray(0, n));
}
