import { createServer } from 'node:http';
import { activeRegistries } from './membership.mjs';

function send(res, status, body) {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  res.writeHead(status, {
    'content-type': typeof body === 'string' ? 'text/html; charset=utf-8' : 'application/json',
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
}

// The few TarsWeb routes the lab relies on. get_tarsnode answers JSON instead of the real installer script:
// the node stand-in only needs the version it "downloads", where the registries are, and how often to report
// (the real installer ships tarsnode's config, from the tars.tarsnode template, the same way).
export function createWebServer({ pool, cfg, log, nodeHeartbeatSeconds }) {
  const routes = {
    '/': async () => [200, `<html><body>TarsWeb stand-in ${cfg.webVersion} (framework ${cfg.version})</body></html>`],
    '/web_version': async () => [200, { webVersion: cfg.webVersion, frameworkVersion: cfg.version }],
    '/get_tarsnode': async () => [
      200,
      { version: cfg.version, registries: await activeRegistries(pool, cfg), heartbeatSeconds: nodeHeartbeatSeconds },
    ],
  };
  return createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://stand-in');
    const route = req.method === 'GET' || req.method === 'HEAD' ? routes[url.pathname] : undefined;
    if (!route) return send(res, 404, { error: 'not found' });
    route().then(
      ([status, body]) => send(res, status, body),
      (err) => {
        log.warn(`${url.pathname} failed: ${err.message}`);
        send(res, 503, { error: 'database unavailable' });
      },
    );
  });
}
