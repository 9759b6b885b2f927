import { readFile, stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, resolve, sep } from 'node:path';

const types: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.webmanifest': 'application/manifest+json',
  '.json': 'application/json',
  '.map': 'application/json',
};

export interface StaticServer {
  /** Ends with a slash: `http://127.0.0.1:PORT/` plus the mount path. */
  url: string;
  /** Every path asked for, in order. */
  requests: string[];
  close(): Promise<void>;
}

export interface ServeOptions {
  /** Where the directory appears, e.g. `/tools/kiln/`. */
  mount?: string;
  /** Send `Access-Control-Allow-Origin: *`, as a host that lets other sites read its files. */
  cors?: boolean;
  /** Replaces a file's bytes before they are sent (for serving a changed build). */
  rewrite?: (path: string, body: Buffer) => Buffer;
}

/** A plain static file server on a free 127.0.0.1 port, like any host a build may be copied to. */
export async function serveStatic(dir: string, options: ServeOptions = {}): Promise<StaticServer> {
  const mount = options.mount ?? '/';
  const root = resolve(dir);
  const requests: string[] = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://host').pathname);
    requests.push(path);
    if (options.cors) res.setHeader('Access-Control-Allow-Origin', '*');
    const send = (status: number, body: Buffer | string, type = 'text/plain; charset=utf-8') => {
      res.writeHead(status, { 'Content-Type': type, 'Cache-Control': 'no-cache' });
      res.end(body);
    };
    if (!path.startsWith(mount)) return send(404, 'Not found');
    let file = normalize(join(root, path.slice(mount.length)));
    if (file !== root && !file.startsWith(root + sep)) return send(404, 'Not found');
    stat(file)
      .then((s) => (s.isDirectory() ? (file = join(file, 'index.html')) : file))
      .then((f) => readFile(f))
      .then((body) =>
        send(200, options.rewrite?.(path, body) ?? body, types[extname(file)] ?? 'application/octet-stream'),
      )
      .catch(() => send(404, 'Not found'));
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}${mount}`,
    requests,
    close: () =>
      new Promise((done) => {
        server.closeAllConnections();
        server.close(() => done());
      }),
  };
}
