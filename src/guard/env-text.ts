import type { EnvEntry } from './types.js';

export type Quote = '' | '"' | "'";

/** An entry plus the span [start, end) of its value token (quotes included), in string offsets. */
export interface EnvToken extends EnvEntry {
  start: number;
  end: number;
  quote: Quote;
}

const ASSIGN = /^[ \t\uFEFF]*(?:export[ \t]+)?([A-Za-z_][A-Za-z0-9_.-]*)[ \t]*=[ \t]*/;

/**
 * Reads env-file text the way dotenv and compose do (comments, `export`, quotes, quoted values spanning
 * lines) but keeps each entry's line and value span; lines that are not assignments are skipped.
 */
export function parseEnvText(text: string): EnvToken[] {
  const out: EnvToken[] = [];
  let pos = 0;
  let line = 1;
  while (pos < text.length) {
    const eol = lineEnd(text, pos);
    const m = ASSIGN.exec(text.slice(pos, eol));
    let next = eol;
    if (m) {
      const start = pos + m[0].length;
      const token = readValue(text, start, eol);
      out.push({ key: m[1]!, value: token.value, line, start, end: token.end, quote: token.quote });
      next = Math.max(eol, lineEnd(text, token.end));
    }
    line += countNewlines(text, pos, next) + (next < text.length ? 1 : 0);
    pos = next + 1;
  }
  return out;
}

function readValue(text: string, start: number, eol: number): { value: string; end: number; quote: Quote } {
  const q = text[start];
  if (q === '"' || q === "'") {
    const close = closingQuote(text, start + 1, q);
    if (close >= 0) {
      const inner = text.slice(start + 1, close);
      return { value: q === '"' ? unescape(inner) : inner, end: close + 1, quote: q };
    }
  }
  let end = eol;
  // An unquoted value ends at a comment that follows whitespace, as dotenv reads it.
  const hash = /[ \t]#/.exec(text.slice(start, eol));
  if (hash) end = start + hash.index;
  while (end > start && /[ \t\r]/.test(text[end - 1]!)) end--;
  return { value: text.slice(start, end), end, quote: '' };
}

function closingQuote(text: string, from: number, q: string): number {
  for (let i = from; i < text.length; i++) {
    if (q === '"' && text[i] === '\\') i++;
    else if (text[i] === q) return i;
  }
  return -1;
}

function unescape(inner: string): string {
  return inner.replace(/\\([\\"nrt])/g, (_, c: string) => ({ n: '\n', r: '\r', t: '\t' })[c] ?? c);
}

function lineEnd(text: string, from: number): number {
  const i = text.indexOf('\n', from);
  return i < 0 ? text.length : i;
}

function countNewlines(text: string, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) if (text[i] === '\n') n++;
  return n;
}
