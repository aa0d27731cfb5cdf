import { InputError } from '../../errors.js';

/** `bits` is an x'..' or b'..' literal, kept as written. */
export type TokenKind = 'word' | 'ident' | 'string' | 'bits' | 'number' | 'punct' | 'op';

export interface Token {
  kind: TokenKind;
  /** Unquoted, unescaped text; keywords keep their case (compare with `isWord`). */
  value: string;
  line: number;
  /** Offsets into the source, for slicing statements out verbatim. */
  start: number;
  end: number;
}

export interface Statement {
  tokens: Token[];
  line: number;
  /** Source text from the first to the last token, as written. */
  text: string;
}

const WORD_START = /[A-Za-z_$\u0080-\uffff]/;
const WORD_CHAR = /[A-Za-z0-9_$\u0080-\uffff]/;
const ESCAPES: Record<string, string> = { n: '\n', r: '\r', t: '\t', '0': '\0', b: '\b', Z: '\x1a' };

/**
 * Splits a mysqldump-style file into statements. Executable comments (`/*!40101 ... *\/`, `/*M!... *\/`)
 * are read as SQL because the server runs them; every other comment is dropped.
 */
export function splitStatements(src: string, file: string): Statement[] {
  const statements: Statement[] = [];
  let current: Token[] = [];
  let line = 1;
  let i = 0;
  let inExecutable = false;
  const fail = (msg: string): never => {
    throw new InputError(`${file}:${line}: ${msg}`, { file });
  };
  const push = (kind: TokenKind, value: string, start: number, startLine: number) =>
    current.push({ kind, value, line: startLine, start, end: i });
  const endStatement = () => {
    if (current.length > 0) {
      const first = current[0]!;
      const last = current[current.length - 1]!;
      statements.push({ tokens: current, line: first.line, text: src.slice(first.start, last.end) });
    }
    current = [];
  };

  while (i < src.length) {
    const ch = src[i]!;
    const next = src[i + 1];
    if (ch === '\n') { line++; i++; continue; }
    if (/\s/.test(ch)) { i++; continue; }
    if (ch === '#' || (ch === '-' && next === '-' && (i + 2 >= src.length || /\s/.test(src[i + 2]!)))) {
      while (i < src.length && src[i] !== '\n') i++;
      continue;
    }
    if (ch === '/' && next === '*') {
      const executable = /^\/\*M?!\d{0,6}/.exec(src.slice(i, i + 10));
      if (executable) {
        if (inExecutable) fail('nested executable comment');
        inExecutable = true;
        i += executable[0].length;
        continue;
      }
      const close = src.indexOf('*/', i + 2);
      if (close === -1) fail('unterminated comment');
      for (let k = i; k < close; k++) if (src[k] === '\n') line++;
      i = close + 2;
      continue;
    }
    if (ch === '*' && next === '/' && inExecutable) { inExecutable = false; i += 2; continue; }
    const start = i;
    const startLine = line;
    if (ch === "'" || ch === '"' || ch === '`') {
      let value = '';
      i++;
      for (;;) {
        if (i >= src.length) { line = startLine; fail(`unterminated ${ch === '`' ? 'identifier' : 'string'}`); }
        const c = src[i]!;
        if (c === '\n') line++;
        if (c === '\\' && ch !== '`') { const e = src[i + 1] ?? ''; value += ESCAPES[e] ?? e; i += 2; continue; }
        if (c === ch) {
          if (src[i + 1] === ch) { value += ch; i += 2; continue; }
          i++;
          break;
        }
        value += c;
        i++;
      }
      push(ch === '`' ? 'ident' : 'string', value, start, startLine);
      continue;
    }
    if (/[0-9]/.test(ch) || (ch === '.' && next !== undefined && /[0-9]/.test(next))) {
      while (i < src.length && /[0-9.eE]/.test(src[i]!)) i++;
      push('number', src.slice(start, i), start, startLine);
      continue;
    }
    if (WORD_START.test(ch) || (ch === '@')) {
      i++;
      while (i < src.length && (WORD_CHAR.test(src[i]!) || src[i] === '@')) i++;
      // x'0f' and b'01' literals: keep the prefix and the quoted part together.
      if ((i - start === 1) && /[xXbB]/.test(ch) && src[i] === "'") {
        const close = src.indexOf("'", i + 1);
        if (close === -1) fail('unterminated literal');
        i = close + 1;
        push('bits', src.slice(start, i), start, startLine);
        continue;
      }
      push('word', src.slice(start, i), start, startLine);
      continue;
    }
    if (ch === ';') { i++; endStatement(); continue; }
    i++;
    push('(),.='.includes(ch) ? 'punct' : 'op', ch, start, startLine);
  }
  if (inExecutable) fail('unterminated executable comment');
  endStatement();
  return statements;
}

export function isWord(token: Token | undefined, ...words: string[]): boolean {
  return token !== undefined && token.kind === 'word' && words.includes(token.value.toUpperCase());
}

export function isPunct(token: Token | undefined, value: string): boolean {
  return token !== undefined && token.kind === 'punct' && token.value === value;
}
