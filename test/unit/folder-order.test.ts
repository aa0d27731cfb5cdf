import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

/**
 * The folders of src/, top floor first (the README's layout section states the same order). A file may import
 * files of its own folder and of any folder on a lower floor; folders on one floor never import each other.
 * '.' is the base files directly in src/.
 */
const FLOORS: readonly (readonly string[])[] = [
  ['cli'],
  ['watch'],
  ['rollout'],
  ['cluster'],
  ['lab'],
  ['guard'],
  ['db'],
  ['docker'],
  ['config', 'versions'],
  ['registry'],
  ['.'],
];

const SRC = fileURLToPath(new URL('../../src/', import.meta.url));

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(path);
    return e.name.endsWith('.ts') ? [path] : [];
  });
}

/** Every module a file names: static imports and re-exports (type-only too), import() calls and import('…') types. */
function specifiers(file: string): string[] {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  const found: string[] = [];
  const visit = (node: ts.Node): void => {
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      found.push(node.moduleSpecifier.text);
    } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
      const [arg] = node.arguments;
      assert.ok(arg && ts.isStringLiteralLike(arg), `${relative(SRC, file)}: import() of a computed name cannot be checked`);
      found.push(arg.text);
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument) && ts.isStringLiteral(node.argument.literal)) {
      found.push(node.argument.literal.text);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

/** File (relative to src/) -> the src files it imports; packages and node: modules are left out. */
function importGraph(): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const file of sourceFiles(SRC)) {
    const targets = specifiers(file).filter((s) => s.startsWith('.')).map((s) => {
      const target = resolve(dirname(file), s.replace(/\.js$/, '.ts'));
      assert.ok(existsSync(target) && target.startsWith(SRC), `${relative(SRC, file)} imports ${s}, which is no file of src/`);
      return relative(SRC, target);
    });
    graph.set(relative(SRC, file), [...new Set(targets)]);
  }
  return graph;
}

const folderOf = (file: string) => (file.includes('/') ? file.slice(0, file.indexOf('/')) : '.');
const floorOf = (folder: string) => FLOORS.findIndex((floor) => floor.includes(folder));

/** Tarjan's strongly connected components with more than one file, or a file that imports itself. */
function circles(graph: Map<string, string[]>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const connect = (v: string): void => {
    index.set(v, index.size);
    low.set(v, index.get(v)!);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) {
        connect(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) {
        low.set(v, Math.min(low.get(v)!, index.get(w)!));
      }
    }
    if (low.get(v) !== index.get(v)) return;
    const component: string[] = [];
    let w: string;
    do {
      w = stack.pop()!;
      onStack.delete(w);
      component.push(w);
    } while (w !== v);
    if (component.length > 1 || graph.get(v)!.includes(v)) found.push(component.sort());
  };
  for (const v of graph.keys()) if (!index.has(v)) connect(v);
  return found;
}

describe('folder order of src/', () => {
  const graph = importGraph();

  it('every folder of src/ has its floor', () => {
    const folders = [...new Set([...graph.keys()].map(folderOf))].sort();
    assert.deepEqual(folders.filter((f) => floorOf(f) < 0), [], 'add these folders to FLOORS (and to the README layout)');
    assert.deepEqual(FLOORS.flat().filter((f) => !folders.includes(f)), [], 'FLOORS names folders src/ no longer has');
  });

  it('no file imports from a folder on its own floor or a higher one', () => {
    const wrong = [...graph].flatMap(([file, targets]) =>
      targets
        .filter((t) => folderOf(t) !== folderOf(file) && floorOf(folderOf(t)) <= floorOf(folderOf(file)))
        .map((t) => `${file} -> ${t}`));
    assert.deepEqual(wrong, []);
  });

  it('no import circle between files', () => {
    assert.deepEqual(circles(graph), []);
  });

  it('only src/docker reaches an engine through dockerode (and src/lab, which builds engines)', () => {
    const own = ['docker', 'lab'];
    const wrong = sourceFiles(SRC)
      .filter((file) => !own.includes(folderOf(relative(SRC, file))) && specifiers(file).includes('dockerode'))
      .map((file) => relative(SRC, file));
    assert.deepEqual(wrong, [], 'reach the engine through DockerHost (src/docker/host.ts)');
  });
});
