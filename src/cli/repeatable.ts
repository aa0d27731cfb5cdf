/**
 * The parser of list flags such as `--db`: `--db a --db b` means `a,b`, as an operator who repeats a flag means,
 * where commander alone would keep only the last one and a backup would silently leave a database out.
 */
export function joinRepeated(value: string, previous: string | undefined): string {
  return previous === undefined ? value : `${previous},${value}`;
}

/** The names of such a list, each once, in the order given. */
export function namesOf(list: string): string[] {
  return [...new Set(list.split(',').map((d) => d.trim()).filter(Boolean))];
}
