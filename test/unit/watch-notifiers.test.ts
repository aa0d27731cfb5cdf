import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import http from 'node:http';
import net, { type AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import { InputError } from '../../src/errors.js';
import { redact } from '../../src/redact.js';
import type { CheckReport } from '../../src/versions/check-report.js';
import { renderMessage } from '../../src/watch/announce.js';
import { createNotifier, parseNotifyUrl, payloadFor } from '../../src/watch/notifiers.js';

const report: CheckReport = { updateAvailable: false, images: [], hosts: [] };
const message = renderMessage([{ kind: 'version', key: 'k', image: 'tarscloud/framework', version: 'v3.0.17', digest: null }]);

let server: http.Server;
let base = '';
const got: { url: string; body: unknown }[] = [];
let answer: { status: number; body: string } = { status: 200, body: 'ok' };

before(async () => {
  server = http.createServer((req, res) => {
    let data = '';
    req.on('data', (d: Buffer) => (data += d.toString()));
    req.on('end', () => {
      got.push({ url: req.url ?? '', body: JSON.parse(data) });
      res.writeHead(answer.status).end(answer.body);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(() => new Promise<void>((r) => server.close(() => r())));

test('kind chosen by URL, or forced with a kind+ prefix', () => {
  assert.equal(parseNotifyUrl('https://hooks.slack.com/services/T0/B0/XYZ').kind, 'slack');
  assert.equal(parseNotifyUrl('https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=abc').kind, 'wecom');
  assert.equal(parseNotifyUrl('https://oapi.dingtalk.com/robot/send?access_token=abc').kind, 'dingtalk');
  assert.equal(parseNotifyUrl('https://example.org/hook').kind, 'webhook');
  assert.equal(parseNotifyUrl('slack+http://127.0.0.1:9/x').kind, 'slack');
  assert.equal(parseNotifyUrl('wecom+http://127.0.0.1:9/x').url.toString(), 'http://127.0.0.1:9/x');
  assert.throws(() => parseNotifyUrl('teams+http://127.0.0.1:9/x'), InputError);
  assert.throws(() => parseNotifyUrl('not a url'), InputError);
  assert.throws(() => parseNotifyUrl('ftp://x/y'), InputError);
});

test('payload per kind', () => {
  assert.deepEqual(payloadFor('slack', message, report), { text: message.text });
  assert.deepEqual(payloadFor('wecom', message, report), { msgtype: 'text', text: { content: message.text } });
  assert.deepEqual(payloadFor('dingtalk', message, report), { msgtype: 'text', text: { content: message.text } });
  const generic = payloadFor('webhook', message, report) as Record<string, unknown>;
  assert.equal(generic.source, 'tars-docker');
  assert.equal(generic.updateAvailable, false);
  assert.deepEqual(generic.report, report);
});

test('webhook secrets never show in labels or errors', () => {
  const n = createNotifier('https://hooks.slack.com/services/T000/B000/SECRETPART');
  assert.equal(n.label, 'slack hooks.slack.com');
  assert.equal(redact('posting to /services/T000/B000/SECRETPART'), 'posting to [REDACTED]');
  createNotifier('https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=wecom-key-123');
  assert.equal(redact('key=wecom-key-123'), 'key=[REDACTED]');
});

test('sends to a local receiver; DingTalk signs when given a secret', async () => {
  got.length = 0;
  await createNotifier(`slack+${base}/slack`).send(message, report);
  await createNotifier(`dingtalk+${base}/robot/send?access_token=tok-123&secret=SECsecret`).send(message, report);
  assert.deepEqual(got[0], { url: '/slack', body: { text: message.text } });
  const signed = new URL(got[1]!.url, base);
  assert.equal(signed.searchParams.get('secret'), null);
  const ts = signed.searchParams.get('timestamp')!;
  assert.equal(signed.searchParams.get('sign'), createHmac('sha256', 'SECsecret').update(`${ts}\nSECsecret`).digest('base64'));
});

test('HTTP errors and errcode answers are failures with a short line', async () => {
  answer = { status: 500, body: 'down' };
  await assert.rejects(createNotifier(`${base}/generic`).send(message, report), /^Error: webhook 127\.0\.0\.1:\d+: HTTP 500 down$/);
  answer = { status: 200, body: '{"errcode":93000,"errmsg":"invalid webhook url"}' };
  await assert.rejects(createNotifier(`wecom+${base}/cgi-bin/webhook/send?key=k`).send(message, report), /wecom 127\.0\.0\.1:\d+: errcode 93000 invalid webhook url/);
  answer = { status: 200, body: 'ok' };
  const closed = net.createServer();
  await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
  const port = (closed.address() as AddressInfo).port;
  await new Promise<void>((r) => closed.close(() => r()));
  await assert.rejects(createNotifier(`http://127.0.0.1:${port}/x`).send(message, report), /webhook 127\.0\.0\.1:\d+: ECONNREFUSED/);
});

test('a URL with user:password@ is refused up front (fetch could never send it), the password not shown', () => {
  for (const spec of ['https://robot:pw-9f8e7d@hooks.example/x', 'slack+https://robot@relay.example/x']) {
    assert.throws(() => parseNotifyUrl(spec), (err: unknown) => {
      assert.ok(err instanceof InputError);
      assert.match(err.message, /^--notify: the URL for (hooks|relay)\.example holds credentials \(user:password@\), which cannot be sent; put the token in the path or query$/);
      assert.ok(!err.message.includes('pw-9f8e7d'));
      return true;
    });
  }
});
