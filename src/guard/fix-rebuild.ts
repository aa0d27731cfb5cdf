import { readFileSync } from 'node:fs';
import { redact } from '../redact.js';
import { writeFileAtomic } from './atomic-write.js';
import { parseEnvText, type Quote } from './env-text.js';
import type { Finding, GuardReport } from './types.js';
import { entriesNamed, parseYaml } from './yaml-env.js';

export interface FixedLine {
  file: string;
  line: number;
  before: string;
  after: string;
}

export interface FixResult {
  changed: FixedLine[];
  /** Containers running with a bad REBUILD: only recreating them changes that, and --fix never does. */
  recreate: { host: string; container: string }[];
  /** Findings --fix cannot repair by editing a file (the shell, a line it no longer finds). */
  manual: Finding[];
}

interface Edit {
  start: number;
  end: number;
  quote: Quote;
  line: number;
}

const isRebuild = (f: Finding): boolean => f.id === 'rebuild-true' || f.id === 'rebuild-not-false';

/** Sets REBUILD to false on each line the report found, changing nothing else in those files. */
export function fixRebuild(report: GuardReport): FixResult {
  const result: FixResult = { changed: [], recreate: [], manual: [] };
  const byFile = new Map<string, Finding[]>();
  for (const f of report.findings.filter(isRebuild)) {
    const { kind, file, line, host, container } = f.source;
    if (kind === 'container' && host && container) {
      if (!result.recreate.some((r) => r.host === host && r.container === container)) result.recreate.push({ host, container });
    } else if (kind !== 'shell' && kind !== 'container' && file && line) {
      byFile.set(file, [...(byFile.get(file) ?? []), f]);
    } else {
      result.manual.push(f);
    }
  }
  for (const [file, findings] of byFile) fixFile(file, findings, result);
  return result;
}

function fixFile(file: string, findings: Finding[], result: FixResult): void {
  const bytes = readFileSync(file);
  const text = bytes.toString('utf8');
  // The edit happens on the decoded text; every other byte survives only if decoding loses nothing.
  if (!Buffer.from(text, 'utf8').equals(bytes)) {
    result.manual.push(...findings);
    return;
  }
  const candidates = findings[0]!.source.kind === 'env-file' ? envEdits(text) : yamlEdits(text);
  const edits: Edit[] = [];
  for (const f of findings) {
    const edit = candidates.find((c) => c.line === f.source.line);
    if (edit) edits.push(edit);
    else result.manual.push(f);
  }
  if (edits.length === 0) return;
  let out = text;
  for (const e of [...edits].sort((a, b) => b.start - a.start)) {
    out = out.slice(0, e.start) + `${e.quote}false${e.quote}` + out.slice(e.end);
  }
  writeFileAtomic(file, Buffer.from(out, 'utf8'));
  const before = text.split('\n');
  const after = out.split('\n');
  for (const e of [...edits].sort((a, b) => a.line - b.line)) {
    const [was, now] = [before[e.line - 1]!.trim(), after[e.line - 1]!.trim()];
    result.changed.push({ file, line: e.line, before: redact(was), after: redact(now) });
  }
}

function envEdits(text: string): Edit[] {
  return parseEnvText(text)
    .filter((t) => t.key === 'REBUILD')
    .map((t) => ({ start: t.start, end: t.end, quote: t.quote, line: t.line }));
}

function yamlEdits(text: string): Edit[] {
  const y = parseYaml(text);
  if (y.doc.errors.length > 0) return [];
  return entriesNamed(y, 'REBUILD', text).flatMap((e) => (e.span ? [{ ...e.span, line: e.line }] : []));
}
