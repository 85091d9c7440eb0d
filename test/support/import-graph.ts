/**
 * The import graph of a source tree, from the text of its `.ts` files: static imports and
 * re-exports (type-only ones included: a cycle of types is still two modules that need each
 * other) and `import('...')` with a literal path. One loop is shown per group of files (or
 * folders) that import each other.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { cycles } from '../../src/check/busy-loop.js';

export interface ImportGraph {
  /** File (relative to the root, `/`-separated) -> the files it imports. */
  files: Map<string, Set<string>>;
}

const STATIC = /(?:^|\n)\s*(?:import|export)\s[^;]*?\sfrom\s+'(\.{1,2}\/[^']+)'/g;
const DYNAMIC = /import\(\s*'(\.{1,2}\/[^']+)'\s*\)/g;

export function importGraph(root: string): ImportGraph {
  const files = new Map<string, Set<string>>();
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name.endsWith('.ts')) {
        const text = readFileSync(full, 'utf8');
        const deps = new Set<string>();
        for (const re of [STATIC, DYNAMIC]) {
          for (const m of text.matchAll(re)) deps.add(rel(root, resolve(dirname(full), m[1]!.replace(/\.js$/, '.ts'))));
        }
        files.set(rel(root, full), deps);
      }
    }
  };
  walk(root);
  return { files };
}

/** A loop of imports per group of files that import each other, directly or around a loop. */
export function fileCycles(graph: ImportGraph): string[][] {
  return components([...graph.files.keys()], (f) => [...(graph.files.get(f) ?? [])].filter((d) => graph.files.has(d)));
}

/** Groups of folders that import each other, each with the imports that close the loop. */
export function folderCycles(graph: ImportGraph): { folders: string[]; imports: string[] }[] {
  const edges = new Map<string, Set<string>>();
  for (const [file, deps] of graph.files) {
    for (const dep of deps) {
      if (!graph.files.has(dep) || folderOf(dep) === folderOf(file)) continue;
      const set = edges.get(folderOf(file)) ?? new Set<string>();
      set.add(folderOf(dep));
      edges.set(folderOf(file), set);
    }
  }
  const folders = [...new Set([...graph.files.keys()].map(folderOf))];
  return components(folders, (f) => [...(edges.get(f) ?? [])]).map((group) => ({
    folders: group,
    imports: [...graph.files].flatMap(([file, deps]) =>
      group.includes(folderOf(file)) ? [...deps].filter((d) => graph.files.has(d) && group.includes(folderOf(d)) && folderOf(d) !== folderOf(file)).map((d) => `${file} -> ${d}`) : [],
    ),
  }));
}

function folderOf(file: string): string {
  return dirname(file);
}

function rel(root: string, path: string): string {
  return relative(root, path).split('\\').join('/');
}

/** One loop per group of nodes that reach each other (src/check/busy-loop.ts finds them for flows too). */
function components(nodes: string[], next: (node: string) => string[]): string[][] {
  const sorted = [...nodes].sort();
  return cycles(sorted, new Map(sorted.map((n) => [n, next(n)])));
}
