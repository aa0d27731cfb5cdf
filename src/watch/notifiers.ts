import { createHash, createHmac } from 'node:crypto';
import { InputError } from '../errors.js';
import { redact, registerSecret } from '../redact.js';
import type { CheckReport } from '../versions/check-report.js';
import type { Message } from './announce.js';

export type NotifierKind = 'webhook' | 'slack' | 'wecom' | 'dingtalk';
const KINDS: readonly NotifierKind[] = ['webhook', 'slack', 'wecom', 'dingtalk'];

export interface Notifier {
  /** Stable across runs (a hash of the URL) so the state file can remember per notifier what it was told. */
  id: string;
  kind: NotifierKind;
  /** Kind and host only: webhook URLs carry their secret in the path or query. */
  label: string;
  send(message: Message, report: CheckReport, signal?: AbortSignal): Promise<void>;
}

/**
 * The kind comes from the URL's host (hooks.slack.com, qyapi.weixin.qq.com/cgi-bin/webhook, oapi.dingtalk.com/robot);
 * anything else is a generic JSON webhook. A `kind+` prefix (`slack+https://relay.internal/x`) forces a kind, for
 * relays and for tests that must not leave the machine.
 */
export function parseNotifyUrl(spec: string): { kind: NotifierKind; url: URL } {
  const m = /^([a-z]+)\+(https?:\/\/.*)$/i.exec(spec.trim());
  const forced = m ? (m[1]!.toLowerCase() as NotifierKind) : null;
  if (forced && !KINDS.includes(forced)) {
    throw new InputError(`--notify: unknown kind "${m![1]}" (one of ${KINDS.join(', ')})`, { key: 'notify' });
  }
  let url: URL;
  try {
    url = new URL(m ? m[2]! : spec.trim());
  } catch {
    throw new InputError(`--notify: "${redact(spec)}" is not a URL`, { key: 'notify' });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new InputError('--notify: only http(s) URLs are supported', { key: 'notify' });
  }
  // fetch() refuses such a URL on every send, so the watcher would run for ever without announcing anything.
  if (url.username || url.password) {
    registerSecret(url.password);
    throw new InputError(`--notify: the URL for ${url.host} holds credentials (user:password@), which cannot be sent; put the token in the path or query`, { key: 'notify' });
  }
  return { kind: forced ?? kindOf(url), url };
}

function kindOf(url: URL): NotifierKind {
  const host = url.hostname.toLowerCase();
  if (host === 'hooks.slack.com') return 'slack';
  if (host === 'qyapi.weixin.qq.com' && url.pathname.startsWith('/cgi-bin/webhook')) return 'wecom';
  if (host === 'oapi.dingtalk.com' && url.pathname.startsWith('/robot')) return 'dingtalk';
  return 'webhook';
}

/** Pure: the body each service expects. */
export function payloadFor(kind: NotifierKind, message: Message, report: CheckReport): unknown {
  switch (kind) {
    case 'slack':
      return { text: message.text };
    case 'wecom':
    case 'dingtalk':
      return { msgtype: 'text', text: { content: message.text } };
    case 'webhook':
      return {
        source: 'tars-docker',
        title: message.title,
        text: message.text,
        facts: message.facts,
        updateAvailable: report.updateAvailable,
        report,
      };
  }
}

function registerUrlSecrets(kind: NotifierKind, url: URL): void {
  if (url.password) registerSecret(url.password);
  // Registering every query value would mask words like "json" everywhere; tokens are long or named so.
  for (const [key, value] of url.searchParams) {
    if (value.length >= 16 || /key|token|secret|sig|pass|auth/i.test(key)) registerSecret(value);
  }
  if (kind === 'slack') registerSecret(url.pathname);
}

/** DingTalk robots with "sign" security: the secret stays local, only timestamp + HMAC travel. */
function dingtalkSigned(url: URL, now: number): URL {
  const secret = url.searchParams.get('secret');
  if (!secret) return url;
  const signed = new URL(url);
  signed.searchParams.delete('secret');
  const sign = createHmac('sha256', secret).update(`${now}\n${secret}`).digest('base64');
  signed.searchParams.set('timestamp', String(now));
  signed.searchParams.set('sign', sign);
  return signed;
}

export function createNotifier(spec: string, opts: { timeoutMs?: number } = {}): Notifier {
  const { kind, url } = parseNotifyUrl(spec);
  registerUrlSecrets(kind, url);
  const id = `${kind}:${createHash('sha256').update(url.toString()).digest('hex').slice(0, 12)}`;
  const label = `${kind} ${url.host}`;
  const timeoutMs = opts.timeoutMs ?? 10_000;
  return {
    id,
    kind,
    label,
    async send(message, report, signal) {
      const target = kind === 'dingtalk' ? dingtalkSigned(url, Date.now()) : url;
      const timeout = AbortSignal.timeout(timeoutMs);
      let res: Response;
      try {
        res = await fetch(target, {
          method: 'POST',
          headers: { 'content-type': 'application/json; charset=utf-8' },
          body: JSON.stringify(payloadFor(kind, message, report)),
          signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
        });
      } catch (err) {
        const e = err as Error & { cause?: { code?: string; message?: string } };
        const why =
          e.name === 'TimeoutError' ? `no answer within ${timeoutMs / 1000} s` : (e.cause?.code ?? e.cause?.message ?? e.message);
        throw new Error(redact(`${label}: ${why}`), { cause: err });
      }
      const body = await res.text();
      if (!res.ok) throw new Error(redact(`${label}: HTTP ${res.status} ${body.slice(0, 200)}`.trim()));
      // WeCom and DingTalk answer 200 with {errcode, errmsg} when they reject a message.
      if (kind === 'wecom' || kind === 'dingtalk') {
        const parsed = safeJson(body) as { errcode?: number; errmsg?: string } | null;
        if (parsed && parsed.errcode !== undefined && parsed.errcode !== 0) {
          throw new Error(redact(`${label}: errcode ${parsed.errcode} ${parsed.errmsg ?? ''}`.trim()));
        }
      }
    },
  };
}

/** With no --notify, announcements go to the log, deduplicated the same way. */
export function logNotifier(log: (line: string) => void): Notifier {
  return {
    id: 'log',
    kind: 'webhook',
    label: 'log',
    async send(message) {
      for (const line of message.text.split('\n')) log(line);
    },
  };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
