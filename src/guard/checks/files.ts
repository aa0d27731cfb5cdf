import type { EnvFileInput, Finding } from '../types.js';

/** The root password of the cluster's MySQL should be readable by its owner only. */
export function checkPasswordFiles(files: EnvFileInput[]): Finding[] {
  const out: Finding[] = [];
  for (const f of files) {
    const entry = f.entries.find((e) => e.key === 'MYSQL_ROOT_PASSWORD' && e.value !== '');
    if (!entry || f.mode === undefined || (f.mode & 0o077) === 0) continue;
    const mode = (f.mode & 0o777).toString(8).padStart(4, '0');
    out.push({
      id: 'password-file-readable',
      severity: 'warning',
      message: `holds MYSQL_ROOT_PASSWORD and is readable by group or others (mode ${mode})`,
      source: { kind: 'env-file', file: f.file, line: entry.line },
      fix: `chmod 600 ${f.file}`,
    });
  }
  return out;
}
