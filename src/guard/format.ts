import { isAbsolute, relative } from 'node:path';
import { redact } from '../redact.js';
import type { FindingSource, GuardReport } from './types.js';

/** One line per finding, blocking ones first, for people; `--json` prints the report itself. */
export function formatFindings(report: GuardReport, cwd = process.cwd()): string[] {
  return report.findings.map((f) =>
    redact(`${f.severity === 'blocking' ? 'BLOCKING' : 'WARNING '}  ${location(f.source, cwd)}  ${f.message}  → fix: ${f.fix}`),
  );
}

export function location(s: FindingSource, cwd = process.cwd()): string {
  switch (s.kind) {
    case 'shell':
      return 'shell environment';
    case 'container':
      return `host ${s.host ?? '?'} container ${s.container ?? '?'}`;
    default: {
      const file = s.file ? shortPath(s.file, cwd) : '?';
      return s.line ? `${file}:${s.line}` : file;
    }
  }
}

function shortPath(file: string, cwd: string): string {
  const rel = relative(cwd, file);
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : file;
}
