import { cp, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { tempDir } from '../../support/temp-dir.js';

/**
 * A fixture folder's flows and prompts (not its test files) copied to a fresh temporary folder,
 * with `text` written beside them as `testFile`: a test file of a test's own, run against the
 * fixture's flows. Returns the test file's path.
 *
 * @example const file = await fixtureWithTests('test/testing/fixtures/v11', 'lang.test.yaml', 'flow: lang\ncases: ...');
 */
export async function fixtureWithTests(fixture: string, testFile: string, text: string): Promise<string> {
  const dir = tempDir('ivr-fixture-');
  for (const name of await readdir(fixture)) if (!name.endsWith('.test.yaml')) await cp(join(fixture, name), join(dir, name), { recursive: true });
  const file = join(dir, testFile);
  await writeFile(file, text);
  return file;
}
