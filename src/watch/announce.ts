import type { CheckReport } from '../versions/check-report.js';
import { short } from '../versions/verdict.js';

/**
 * A fact is something worth telling once: the newest version of an image, a host that is behind or runs a moved
 * tag, the digest a moving tag points at. Its key changes exactly when the news changes, so "already announced"
 * is "key already delivered".
 */
export type Fact =
  | { kind: 'version'; key: string; image: string; version: string; digest: string | null }
  | { kind: 'drift'; key: string; host: string; image: string | null; verdict: string; reason: string }
  | { kind: 'tag'; key: string; image: string; tag: string; digest: string; previous?: string };

export function factsOf(report: CheckReport): Fact[] {
  const facts: Fact[] = [];
  for (const img of report.images) {
    const image = img.image;
    if (img.newest) {
      facts.push({ kind: 'version', key: `version|${image}|${img.newest}`, image, version: img.newest, digest: img.digest });
    }
    for (const { tag, digest } of img.moving) {
      if (digest) facts.push({ kind: 'tag', key: `${tagPrefix(image, tag)}${digest}`, image, tag, digest });
    }
  }
  for (const h of report.hosts) {
    if (h.verdict !== 'behind' && h.verdict !== 'moved') continue;
    const key = `drift|${h.name}|${h.verdict}|${h.image ?? ''}:${h.running ?? ''}|${h.newest ?? ''}|${h.digest ?? ''}`;
    facts.push({ kind: 'drift', key, host: h.name, image: h.image, verdict: h.verdict, reason: h.reason });
  }
  return facts;
}

function tagPrefix(image: string, tag: string): string {
  return `tag|${image}|${tag}|`;
}

export interface Pending {
  /** Facts to send now, tag facts carrying the digest the notifier last heard of. */
  send: Fact[];
  /** Keys recorded without sending: the first digest seen of a moving tag is a baseline, not news. */
  baseline: string[];
}

export function pendingFor(delivered: readonly string[], facts: readonly Fact[]): Pending {
  const known = new Set(delivered);
  const out: Pending = { send: [], baseline: [] };
  for (const fact of facts) {
    if (known.has(fact.key)) continue;
    if (fact.kind !== 'tag') {
      out.send.push(fact);
      continue;
    }
    const prefix = tagPrefix(fact.image, fact.tag);
    const before = delivered.find((k) => k.startsWith(prefix));
    if (before === undefined) out.baseline.push(fact.key);
    else out.send.push({ ...fact, previous: before.slice(prefix.length) });
  }
  return out;
}

/**
 * Keys to remember for one notifier after a run: what is still true and was delivered, plus what was delivered
 * now. A tag's old key is kept while its move is still undelivered, so the move is announced on the retry.
 */
export function nextDelivered(
  previous: readonly string[],
  facts: readonly Fact[],
  doneNow: readonly string[],
): string[] {
  const current = new Set(facts.map((f) => f.key));
  const done = new Set(doneNow);
  const undeliveredTags = facts.flatMap((f) =>
    f.kind === 'tag' && !done.has(f.key) && !previous.includes(f.key) ? [tagPrefix(f.image, f.tag)] : [],
  );
  const keep = previous.filter((k) => current.has(k) || undeliveredTags.some((p) => k.startsWith(p)));
  return [...new Set([...keep, ...doneNow])].sort();
}

export interface Message {
  title: string;
  lines: string[];
  text: string;
  facts: Fact[];
}

export function renderMessage(facts: readonly Fact[]): Message {
  const lines = facts.map((f) => {
    switch (f.kind) {
      case 'version':
        return `${f.image}: newest version is ${f.version}${f.digest ? ` (${short(f.digest)})` : ''}`;
      case 'drift':
        return `host ${f.host}: ${f.verdict}, ${f.reason}`;
      case 'tag':
        return `${f.image}:${f.tag} now points at ${short(f.digest)}${f.previous ? ` (was ${short(f.previous)})` : ''}`;
    }
  });
  const title = facts.some((f) => f.kind === 'drift') ? 'tars-docker: update available' : 'tars-docker: registry news';
  return { title, lines, text: [title, ...lines.map((l) => `- ${l}`)].join('\n'), facts: [...facts] };
}
