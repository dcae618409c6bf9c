/**
 * The test's own page server on a free loopback port:
 * - static mounts (the stand-in PBX page and its JsSIP bundle; in "proxy" mode also /demo/ and /webphone/);
 * - optionally a reverse proxy of everything else (REST, the STOMP WebSocket at /ws, actuator) to the
 *   application, so that the demo page served from here talks to the real backend on its own origin, exactly
 *   as when the application serves it. Used only while the application does not serve /demo/ itself yet.
 */
import http from 'node:http';
import net from 'node:net';
import fs from 'node:fs';
import path from 'node:path';
import type { AddressInfo } from 'node:net';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.png': 'image/png',
};

export interface PageServer {
  origin: string;
  /** requests nothing answered (no mount matched and no proxy) */
  misses: string[];
  /** requests the proxy could not forward */
  proxyErrors: string[];
  close(): Promise<void>;
}

/** `listen`: a fixed address (a host origin that Keycloak and the application were told about), else a free port. */
export async function startPageServer(
  mounts: Record<string, string>,
  proxyTo?: string,
  listen: { host: string; port: number } = { host: '127.0.0.1', port: 0 },
): Promise<PageServer> {
  const misses: string[] = [];
  const proxyErrors: string[] = [];
  const target = proxyTo ? new URL(proxyTo) : null;
  const sockets = new Set<net.Socket>();

  const serveFile = (pathname: string, res: http.ServerResponse): boolean => {
    for (const [prefix, root] of Object.entries(mounts)) {
      if (!pathname.startsWith(prefix)) continue;
      const file = path.resolve(root, '.' + pathname.slice(prefix.length - 1));
      if (!file.startsWith(path.resolve(root) + path.sep)) return false;
      if (!fs.existsSync(file) || !fs.statSync(file).isFile()) return false;
      res.writeHead(200, { 'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-store' });
      fs.createReadStream(file).pipe(res);
      return true;
    }
    return false;
  };

  const server = http.createServer((req, res) => {
    const pathname = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    if (serveFile(pathname, res)) return;
    if (pathname === '/favicon.ico') {
      res.writeHead(204).end();
      return;
    }
    if (!target) {
      misses.push(`${req.method} ${pathname}`);
      res.writeHead(404, { 'content-type': 'application/problem+json' });
      res.end(JSON.stringify({ title: 'Not Found', status: 404, detail: `The e2e page server serves no ${pathname}.` }));
      return;
    }
    const upstream = http.request(
      { host: target.hostname, port: target.port, method: req.method, path: req.url, headers: { ...req.headers, host: target.host } },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', (e) => {
      proxyErrors.push(`${req.method} ${req.url}: ${e.message}`);
      if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' });
      res.end(`proxy error: ${e.message}`);
    });
    req.pipe(upstream);
  });

  // WebSocket upgrades (STOMP at /ws): a raw TCP tunnel to the application after replaying the request head.
  server.on('upgrade', (req, socket, head) => {
    if (!target) {
      misses.push(`UPGRADE ${req.url}`);
      socket.end('HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    const up = net.connect(Number(target.port), target.hostname, () => {
      let lines = `${req.method} ${req.url} HTTP/${req.httpVersion}\r\n`;
      for (let i = 0; i < req.rawHeaders.length; i += 2) {
        const name = req.rawHeaders[i]!;
        lines += `${name}: ${name.toLowerCase() === 'host' ? target.host : req.rawHeaders[i + 1]}\r\n`;
      }
      up.write(lines + '\r\n');
      if (head.length) up.write(head);
      up.pipe(socket);
      socket.pipe(up);
    });
    sockets.add(up);
    sockets.add(socket as net.Socket);
    const done = () => { up.destroy(); socket.destroy(); };
    up.on('error', (e) => { proxyErrors.push(`UPGRADE ${req.url}: ${e.message}`); done(); });
    socket.on('error', done);
    up.on('close', () => { sockets.delete(up); socket.destroy(); });
    socket.on('close', () => { sockets.delete(socket as net.Socket); up.destroy(); });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(listen.port, listen.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://${listen.host}:${port}`,
    misses,
    proxyErrors,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
