import { isAlias, isMap, isNode, isScalar, isSeq, LineCounter, parseDocument, visit, type Document, type Scalar } from 'yaml';
import type { Quote } from './env-text.js';

export interface YamlSource {
  doc: Document;
  lines: LineCounter;
}

/** Failsafe schema: every scalar stays the string that was written, so `REBUILD: TRUE` reads as "TRUE". */
export function parseYaml(text: string): YamlSource {
  const lines = new LineCounter();
  const doc = parseDocument(text, { schema: 'failsafe', lineCounter: lines });
  return { doc, lines };
}

export function lineOf(y: YamlSource, node: unknown): number {
  return isNode(node) && node.range ? y.lines.linePos(node.range[0]).line : 0;
}

export function text(node: unknown): string | undefined {
  return isScalar(node) ? String(node.value) : undefined;
}

/** One variable of an environment map or list; `span` is where `--fix` may write a new value, if it safely can. */
export interface YamlEnvEntry {
  key: string;
  raw: string | null;
  line: number;
  span?: { start: number; end: number; quote: Quote };
}

/** Reads compose's two spellings: `KEY: value` (map) and `- KEY=value` (list); a bare key passes a variable through. */
export function envEntries(y: YamlSource, target: unknown, source: string, depth = 0): YamlEnvEntry[] {
  const out: YamlEnvEntry[] = [];
  const node = deref(y, target);
  if (isMap(node)) {
    const merged: YamlEnvEntry[] = [];
    for (const pair of node.items) {
      const key = text(pair.key);
      if (key === undefined) continue;
      const value = deref(y, pair.value);
      // `<<: *common` pulls in an anchored map; its entries sit, and get fixed, where the anchor is written.
      if (key === '<<' && depth < 8) {
        for (const m of isSeq(value) ? value.items : [value]) merged.push(...envEntries(y, m, source, depth + 1));
        continue;
      }
      if (!isScalar(value) || isNullScalar(value)) {
        out.push({ key, raw: null, line: lineOf(y, value ?? pair.key) });
        continue;
      }
      out.push({ key, raw: String(value.value), line: lineOf(y, value), ...spanOfScalar(value) });
    }
    out.unshift(...merged);
  } else if (isSeq(node)) {
    for (const target of node.items) {
      const item = deref(y, target);
      if (!isScalar(item)) continue;
      const s = String(item.value);
      const eq = s.indexOf('=');
      const key = eq < 0 ? s : s.slice(0, eq);
      const entry: YamlEnvEntry = { key, raw: eq < 0 ? null : s.slice(eq + 1), line: lineOf(y, item) };
      if (eq >= 0) Object.assign(entry, spanInItem(item, source, eq));
      out.push(entry);
    }
  }
  return out;
}

/** Every environment-like entry named `key` anywhere in the document: what `--fix` looks for on a line. */
export function entriesNamed(y: YamlSource, key: string, source: string): YamlEnvEntry[] {
  const out: YamlEnvEntry[] = [];
  visit(y.doc, {
    Map: (_, node) => void out.push(...envEntries(y, node, source).filter((e) => e.key === key)),
    Seq: (_, node) => void out.push(...envEntries(y, node, source).filter((e) => e.key === key)),
  });
  return out;
}

/** `map.get(key)` that also looks into maps merged with `<<: *anchor`, as compose's YAML loader does. */
export function getMerged(y: YamlSource, target: unknown, key: string, depth = 0): unknown {
  const map = deref(y, target);
  if (!isMap(map) || depth > 8) return undefined;
  const own = map.get(key, true);
  if (own !== undefined) return own;
  const merge = deref(y, map.get('<<', true));
  for (const m of isSeq(merge) ? merge.items : [merge]) {
    const found = getMerged(y, m, key, depth + 1);
    if (found !== undefined) return found;
  }
  return undefined;
}

export function deref(y: YamlSource, node: unknown): unknown {
  return isAlias(node) ? node.resolve(y.doc) : node;
}

function isNullScalar(s: Scalar): boolean {
  return s.type === 'PLAIN' && ['', '~', 'null', 'Null', 'NULL'].includes(String(s.value));
}

function spanOfScalar(s: Scalar): { span?: YamlEnvEntry['span'] } {
  if (!s.range || s.type === 'BLOCK_LITERAL' || s.type === 'BLOCK_FOLDED') return {};
  const quote: Quote = s.type === 'QUOTE_DOUBLE' ? '"' : s.type === 'QUOTE_SINGLE' ? "'" : '';
  return { span: { start: s.range[0], end: s.range[1], quote } };
}

/** Inside `- "KEY=value"` only the part after `=` changes; that needs the source to hold the value verbatim. */
function spanInItem(s: Scalar, source: string, eq: number): { span?: YamlEnvEntry['span'] } {
  if (!s.range || s.type === 'BLOCK_LITERAL' || s.type === 'BLOCK_FOLDED') return {};
  const q = s.type === 'PLAIN' ? 0 : 1;
  const inner = source.slice(s.range[0] + q, s.range[1] - q);
  if (inner !== String(s.value)) return {};
  return { span: { start: s.range[0] + q + eq + 1, end: s.range[1] - q, quote: '' } };
}
