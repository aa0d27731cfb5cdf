import type { FindingSource } from './types.js';

export interface VarValue {
  value: string;
  source: FindingSource;
}
export type Vars = ReadonlyMap<string, VarValue>;

/** `from` is set only when the whole value is one variable: then that variable's source is the real one. */
export interface Resolved {
  value: string;
  from?: FindingSource;
}

const NAME = /^[A-Za-z_][A-Za-z0-9_]*/;

/** Compose's interpolation: `$$`, `$VAR`, `${VAR}` and the `:-`, `-`, `:?`, `?`, `:+`, `+` forms, defaults nested. */
export function interpolate(raw: string, vars: Vars): Resolved {
  let value = '';
  let from: FindingSource | undefined;
  let refs = 0;
  let literal = false;
  let i = 0;
  while (i < raw.length) {
    const c = raw[i]!;
    const next = raw[i + 1];
    if (c === '$' && next === '$') {
      value += '$';
      literal = true;
      i += 2;
    } else if (c === '$' && next === '{' && closeBrace(raw, i + 1) > 0) {
      const close = closeBrace(raw, i + 1);
      const r = expand(raw.slice(i + 2, close), vars);
      value += r.value;
      from = r.from;
      refs++;
      i = close + 1;
    } else if (c === '$' && NAME.test(raw.slice(i + 1))) {
      const name = NAME.exec(raw.slice(i + 1))![0];
      const v = vars.get(name);
      value += v?.value ?? '';
      from = v?.source;
      refs++;
      i += 1 + name.length;
    } else {
      value += c;
      literal = true;
      i++;
    }
  }
  return refs === 1 && !literal && from ? { value, from } : { value };
}

function expand(body: string, vars: Vars): Resolved {
  const m = /^([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?+])([\s\S]*))?$/.exec(body);
  if (!m) return { value: '' };
  const [, name, op, arg = ''] = m;
  const v = vars.get(name!);
  const own: Resolved = v ? { value: v.value, from: v.source } : { value: '' };
  const set = v !== undefined;
  const nonEmpty = set && v.value !== '';
  switch (op) {
    case ':-':
      return nonEmpty ? own : interpolate(arg, vars);
    case '-':
      return set ? own : interpolate(arg, vars);
    case ':+':
      return nonEmpty ? interpolate(arg, vars) : { value: '' };
    case '+':
      return set ? interpolate(arg, vars) : { value: '' };
    default:
      // Plain and `?` forms: an unset variable becomes empty (compose would stop with an error instead).
      return own;
  }
}

function closeBrace(raw: string, open: number): number {
  let depth = 0;
  for (let i = open; i < raw.length; i++) {
    if (raw[i] === '{') depth++;
    else if (raw[i] === '}' && --depth === 0) return i;
  }
  return -1;
}
