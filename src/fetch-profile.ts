export interface FetchedProfile {
  /** The absolute address, as the link should name it. */
  url: string;
  /** The file name the address ends with. */
  name: string;
  blob: Blob;
}

/** Why a linked profile could not be downloaded; the message names the address. */
class FetchProfileError extends Error {}

/**
 * Why the text of a `?url=` link cannot name a profile to download, or null when it can: an http(s)
 * address, or a path on this site (`/`, `./`, `../`). Any other text would be resolved against the
 * page and download the page itself.
 */
export function linkedAddressProblem(address: string): string | null {
  const form = 'a link names its profile as ?url=https://host/path/run.prof';
  if (!address.trim()) return `This link’s ?url= is empty: ${form}`;
  if (/^\.{0,2}\//.test(address)) return null;
  let url: URL;
  try {
    url = new URL(address);
  } catch {
    return `“${address}” is not a web address: ${form}`;
  }
  return url.protocol === 'https:' || url.protocol === 'http:'
    ? null
    : `“${address}” is not an http or https address: ${form}`;
}

/**
 * Downloads the profile a `?url=` link names, relative addresses resolved against the page. The
 * request carries no cookies and no referrer: the profile's host learns nothing of this page.
 */
export async function fetchProfile(
  address: string,
  page: string,
  onProgress: (done: number, total: number) => void,
): Promise<FetchedProfile> {
  let url: URL;
  try {
    url = new URL(address, page);
  } catch {
    throw new FetchProfileError(`“${address}” is not a web address`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    throw new FetchProfileError(`“${address}” is not an http or https address`);
  const failed = (why: string) => new FetchProfileError(`Could not download ${url.href}: ${why}`);
  let response: Response;
  try {
    response = await fetch(url, { credentials: 'omit', referrerPolicy: 'no-referrer' });
  } catch {
    throw failed(
      'the server could not be reached, or it does not let other sites read the file (it must send CORS headers such as Access-Control-Allow-Origin)',
    );
  }
  if (!response.ok)
    throw failed(`the server answered HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ''}`);
  const total = Number(response.headers.get('content-length')) || 0;
  let blob: Blob;
  try {
    blob = await readBody(response, (done) => onProgress(done, Math.max(done, total)));
  } catch (e) {
    throw failed(`the download broke off (${(e as Error).message})`);
  }
  return { url: url.href, name: fileNameOf(url), blob };
}

/** The body as a Blob, counting bytes as they arrive. */
async function readBody(response: Response, onRead: (bytes: number) => void): Promise<Blob> {
  if (!response.body) return response.blob();
  let read = 0;
  const counted = response.body.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, out) {
        read += chunk.length;
        onRead(read);
        out.enqueue(chunk);
      },
    }),
  );
  return new Response(counted).blob();
}

function fileNameOf(url: URL): string {
  const last = url.pathname.split('/').pop() ?? '';
  try {
    return decodeURIComponent(last) || url.hostname;
  } catch {
    return last;
  }
}
