import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { isIP, type AddressInfo } from 'node:net';
import { InputError, errorMessage } from '../errors.js';
import { redact } from '../redact.js';
import type { WatchMetrics } from './metrics.js';

export interface ListenAddress {
  host: string;
  port: number;
}

/** `HOST:PORT` or `[IPv6]:PORT`; port 0 lets the system choose (the log says which). */
export function parseMetricsAddress(spec: string): ListenAddress {
  const m = /^(?:\[([^\]]+)\]|([^:[\]\s]+)):(\d{1,5})$/.exec(spec.trim());
  const host = m?.[1] ?? m?.[2];
  const port = m ? Number(m[3]) : NaN;
  const validHost = host !== undefined && (m?.[1] !== undefined ? isIP(host) === 6 : isIP(host) === 4 || /^[a-z0-9.-]+$/i.test(host));
  if (!validHost || !(port >= 0 && port <= 65535)) {
    throw new InputError(`--metrics "${spec}" is not HOST:PORT (e.g. 127.0.0.1:9464, [::1]:9464, 0.0.0.0:9464)`, { key: 'metrics' });
  }
  return { host, port };
}

export interface MetricsServer {
  url: string;
  close(): Promise<void>;
}

/** Serves `/metrics` (Prometheus text) and `/healthz` (JSON; 200 when the last check succeeded, else 503). */
export async function startMetricsServer(metrics: WatchMetrics, at: ListenAddress): Promise<MetricsServer> {
  const server = createServer((req, res) => void answer(metrics, req, res));
  await listen(server, at);
  const { address, port } = server.address() as AddressInfo;
  const host = address.includes(':') ? `[${address}]` : address;
  return {
    url: `http://${host}:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        // Prometheus keeps its connection open between scrapes; close() alone would wait for it.
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function listen(server: Server, at: ListenAddress): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) => {
      const where = `${at.host}:${at.port}`;
      const why: Record<string, string> = {
        EADDRINUSE: `port ${at.port} on ${at.host} is already in use`,
        EADDRNOTAVAIL: `${at.host} is not an address of this machine`,
        EACCES: `port ${at.port} needs more privileges than this process has`,
        ENOTFOUND: `host name ${at.host} not found`,
        EAI_AGAIN: `host name ${at.host} could not be looked up`,
      };
      reject(new InputError(`--metrics ${where}: ${why[err.code ?? ''] ?? errorMessage(err)}`, { key: 'metrics' }, { cause: err }));
    });
    server.listen({ host: at.host, port: at.port }, () => resolve());
  });
}

async function answer(metrics: WatchMetrics, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const path = new URL(req.url ?? '/', 'http://localhost').pathname;
  if (path !== '/metrics' && path !== '/healthz') return send(res, 404, 'text/plain; charset=utf-8', 'not found: try /metrics or /healthz\n');
  if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, 'text/plain; charset=utf-8', 'only GET\n');
  if (path === '/healthz') {
    const health = metrics.healthz();
    return send(res, health.status === 'ok' ? 200 : 503, 'application/json', `${JSON.stringify(health)}\n`);
  }
  try {
    send(res, 200, metrics.registry.contentType, await metrics.render());
  } catch (err) {
    send(res, 500, 'text/plain; charset=utf-8', redact(`metrics failed: ${errorMessage(err)}\n`));
  }
}

function send(res: ServerResponse, status: number, type: string, body: string): void {
  res.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(body) });
  res.end(res.req.method === 'HEAD' ? undefined : body);
}
