import { InputError } from '../../errors.js';
import { isPunct, isWord, type Token } from './sql-lexer.js';

/** Walks the tokens of one statement; every failure names the file and the line of the offending token. */
export class TokenCursor {
  pos = 0;

  constructor(
    readonly tokens: Token[],
    readonly file: string,
    private readonly statementLine: number,
  ) {}

  peek(offset = 0): Token | undefined {
    return this.tokens[this.pos + offset];
  }

  atEnd(): boolean {
    return this.pos >= this.tokens.length;
  }

  next(): Token {
    const token = this.tokens[this.pos];
    if (!token) this.fail('unexpected end of statement');
    this.pos++;
    return token;
  }

  acceptWord(...words: string[]): boolean {
    if (!isWord(this.peek(), ...words)) return false;
    this.pos++;
    return true;
  }

  expectWord(...words: string[]): string {
    if (!isWord(this.peek(), ...words)) this.fail(`expected ${words.join(' or ')}`);
    return this.next().value.toUpperCase();
  }

  acceptPunct(value: string): boolean {
    if (!isPunct(this.peek(), value)) return false;
    this.pos++;
    return true;
  }

  expectPunct(value: string): void {
    if (!this.acceptPunct(value)) this.fail(`expected "${value}"`);
  }

  /** An identifier, quoted or not. */
  name(what = 'a name'): string {
    const token = this.peek();
    if (!token || (token.kind !== 'ident' && token.kind !== 'word')) this.fail(`expected ${what}`);
    this.pos++;
    return token.value;
  }

  /** A qualified name `db`.`t` gives the last part: the database is chosen by the caller. */
  tableName(): string {
    let name = this.name('a table name');
    while (this.acceptPunct('.')) name = this.name('a table name');
    return name;
  }

  string(what = 'a quoted string'): string {
    const token = this.peek();
    if (!token || token.kind !== 'string') this.fail(`expected ${what}`);
    this.pos++;
    return token.value;
  }

  fail(message: string, token: Token | undefined = this.peek()): never {
    const line = token?.line ?? this.tokens[this.tokens.length - 1]?.line ?? this.statementLine;
    const near = token ? ` near "${token.value.slice(0, 40)}"` : '';
    throw new InputError(`${this.file}:${line}: ${message}${near}`, { file: this.file });
  }
}
