import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { distDir, e2eDir } from './paths';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.wav': 'audio/wav',
  '.png': 'image/png',
};

export interface StaticServer {
  /** e.g. http://127.0.0.1:40123 — a secure context, so getUserMedia works without TLS */
  origin: string;
  /** requests that matched no file (e.g. an /api call the page made although it has no backend) */
  misses: string[];
  close(): Promise<void>;
}

/**
 * Serves the page under test: /dist/* = frontend-webphone/dist, /pages/* = e2e/pages, plus extra mounts
 * (e.g. /rig/* = a temp dir with the JsSIP bundle). No backend: everything else is a 404 problem document.
 */
export async function startStaticServer(extraMounts: Record<string, string> = {}): Promise<StaticServer> {
  const mounts: Record<string, string> = { '/dist/': distDir, '/pages/': path.join(e2eDir, 'pages'), ...extraMounts };
  const misses: string[] = [];
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const pathname = decodeURIComponent(url.pathname);
    for (const [prefix, root] of Object.entries(mounts)) {
      if (!pathname.startsWith(prefix)) continue;
      const file = path.resolve(root, '.' + pathname.slice(prefix.length - 1));
      if (!file.startsWith(path.resolve(root) + path.sep)) break;
      if (fs.existsSync(file) && fs.statSync(file).isFile()) {
        res.writeHead(200, {
          'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream',
          'cache-control': 'no-store',
        });
        fs.createReadStream(file).pipe(res);
        return;
      }
      break;
    }
    if (pathname === '/favicon.ico') {
      res.writeHead(204).end();
      return;
    }
    misses.push(`${req.method} ${pathname}`);
    res.writeHead(404, { 'content-type': 'application/problem+json' });
    res.end(JSON.stringify({ title: 'Not Found', status: 404, detail: `The e2e rig serves no ${pathname}.` }));
  });
  // the page may try a STOMP WebSocket at /ws: refuse it cleanly
  server.on('upgrade', (req, socket) => {
    misses.push(`UPGRADE ${req.url}`);
    socket.end('HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n');
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    misses,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
