import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

/**
 * The broken-flow corpus: test/fixtures/broken/<name>.yaml, each starting with the diagnostics
 * it must produce, exactly and in order:
 *   # expect: <code> <line>:<col>
 *   # with: <other flow file loaded first>     (optional, e.g. the flow whose id is duplicated)
 * A fixture that cannot be read at all (a dangling link) must give `file-unreadable 1:1`; one
 * that is not a regular file (a link to /dev/null) is never read: its expectations are in
 * `<name>.expect` beside it.
 */
export const BROKEN_DIR = resolve('test/fixtures/broken');

export interface Fixture {
  name: string;
  file: string;
  expected: string[];
  withFiles: string[];
}

export function brokenFixtures(): Fixture[] {
  return readdirSync(BROKEN_DIR)
    .filter((n) => n.endsWith('.yaml'))
    .sort()
    .map((name) => {
      const file = join(BROKEN_DIR, name);
      let text: string | undefined;
      try {
        text = readFileSync(statSync(file).isFile() ? file : file.replace(/\.yaml$/, '.expect'), 'utf8');
      } catch {
        text = undefined;
      }
      if (text === undefined) return { name, file, expected: ['file-unreadable 1:1'], withFiles: [] };
      return {
        name,
        file,
        expected: [...text.matchAll(/^# expect: (\S+ \d+:\d+)$/gm)].map((m) => m[1]!),
        withFiles: [...text.matchAll(/^# with: (\S+)$/gm)].map((m) => join(BROKEN_DIR, m[1]!)),
      };
    });
}
