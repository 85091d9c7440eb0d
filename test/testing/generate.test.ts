import { buildMachines } from '../../src/compile/index.js';
import { readdirSync } from 'node:fs';
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { cp, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'yaml';
import type { CommandResult } from '../../src/cli/command.js';
import { run } from '../../src/cli/test.js';
import { prepareFlows } from '../../src/pipeline/prepare-flows.js';
import { generateCases } from '../../src/testing/generate-tests.js';
import { regexExample } from '../../src/testing/regex-example.js';
import { renderText } from '../../src/testing/render-results.js';
import { runTests } from '../../src/testing/run-tests.js';
import { tempDir } from '../support/temp-dir.js';

const FIXTURE = 'test/testing/fixtures/small';

async function fixtureCopy(): Promise<string> {
  const dir = tempDir('ivr-generate-');
  await cp(join(FIXTURE, 'small.yaml'), join(dir, 'small.yaml'));
  await cp(join(FIXTURE, 'prompts'), join(dir, 'prompts'), { recursive: true });
  return dir;
}

/** Runs the command; its exit code and everything it would print. */
async function quietly(fn: () => Promise<CommandResult>): Promise<{ status: number; out: string }> {
  const result = await fn();
  return { status: result.exitCode, out: `${result.stdout ?? ''}${result.stderr ?? ''}` };
}

describe('ivr test --generate', () => {
  test('writes one case per reachable node, then one per option or handler they leave unreached, and ivr test passes the file unchanged', async () => {
    const dir = await fixtureCopy();
    const { status, out } = await quietly(() => run([], { format: 'text', generate: [join(dir, 'small.yaml')] }));
    assert.equal(status, 0, out);
    const file = join(dir, 'small.test.yaml');
    const doc = parse(await readFile(file, 'utf8')) as { flow: string; cases: { name: string }[] };
    assert.equal(doc.flow, 'small');
    const reached = doc.cases.map((c) => /^reaches (.+?): /.exec(c.name)?.[1]);
    // say_balance needs a successful fetch: the search gives no canned answers, so it is left to the author.
    // The node cases reach main's options and global key on the way; its handlers need cases of their own.
    assert.deepEqual(reached, ['greet', 'main', 'sales', 'lookup', 'operator', 'sorry', 'goodbye', 'main noInput', 'main noMatch']);
    assert.match(await readFile(file, 'utf8'), /# Not reached by the search: say_balance\./);

    const result = await runTests([file], { coverage: true });
    assert.equal(result.failed, 0, renderText(result));
    assert.equal(result.passed, 9);
    // Everything but say_balance (13 of 14 items).
    assert.deepEqual(result.coverage![0]!.items.filter((i) => !i.reached).map((i) => i.label), ['say_balance'], renderText(result));
  });

  test('writes the file pinned for the small fixture (its schema line aside, which names the folder)', async () => {
    // Pinned from the search as it was before it read each trace once (CoverageTally): the output must not change.
    const dir = await fixtureCopy();
    const { status, out } = await quietly(() => run([], { format: 'text', generate: [join(dir, 'small.yaml')] }));
    assert.equal(status, 0, out);
    const written = (await readFile(join(dir, 'small.test.yaml'), 'utf8')).split('\n').slice(1).join('\n');
    assert.equal(written, await readFile('test/testing/fixtures/generated/small.test.yaml.expected', 'utf8'));
  });

  test("lists the flow's nodes a bounded number of times, not once per simulated call", async () => {
    const { value } = await prepareFlows([join(FIXTURE, 'small.yaml')]);
    const flow = value.compiled.get('small')!;
    buildMachines([flow]); // the machine is built at its first use: its compile lists the nodes too, once, before the count
    let listings = 0;
    // Building the coverage items lists the nodes: once per search, not once per probe.
    flow.flow.doc.nodes = new Proxy(flow.flow.doc.nodes, { ownKeys: (nodes) => (listings++, Reflect.ownKeys(nodes)) });
    const result = await generateCases(flow, value.prompts);
    assert.ok(result.calls >= 20, `the search ran ${result.calls} calls`);
    assert.ok(listings <= 5, `the nodes were listed ${listings} times for ${result.calls} calls`);
  });

  test('refuses to overwrite a test file unless --force', async () => {
    const dir = await fixtureCopy();
    await writeFile(join(dir, 'small.test.yaml'), '# mine\n');
    const refused = await quietly(() => run([], { format: 'text', generate: [join(dir, 'small.yaml')] }));
    assert.equal(refused.status, 1);
    assert.match(refused.out, /exists; not overwritten \(use --force/);
    assert.equal(await readFile(join(dir, 'small.test.yaml'), 'utf8'), '# mine\n');

    const forced = await quietly(() => run([], { format: 'text', generate: [join(dir, 'small.yaml')], force: true }));
    assert.equal(forced.status, 0, forced.out);
    assert.match(await readFile(join(dir, 'small.test.yaml'), 'utf8'), /^# yaml-language-server/);
  });

  test('finds digits a dial-by-extension pattern accepts', () => {
    assert.equal(regexExample('^2[0-9]{3}$'), '2000');
    assert.equal(regexExample('^[0-9]{6,10}$'), '000000');
    assert.equal(regexExample('^(0[1-9]|1[0-2])(0[1-9]|[12][0-9]|3[01])(19|20)[0-9]{2}$'), '01011900');
    assert.equal(regexExample('^[^0]\\d+#?$'), '10');
    assert.equal(regexExample('^(?!x)$x'), undefined);
  });
});

describe('ivr test --generate on the shipped flows', () => {
  // Menus with match rules, collects with patterns, a subflow, records, fetch retries: the
  // generated expectations must be exactly what the engine does, or ivr test would fail them.
  const shipped = readdirSync('flows').filter((f) => f.endsWith('.yaml') && !f.endsWith('.test.yaml')).map((f) => f.slice(0, -'.yaml'.length));
  for (const flow of shipped) {
    test(`the generated tests of ${flow} pass unchanged`, async () => {
      const dir = tempDir('ivr-generate-shipped-');
      for (const f of shipped) await cp(join('flows', `${f}.yaml`), join(dir, `${f}.yaml`));
      await cp(join('flows', 'prompts'), join(dir, 'prompts'), { recursive: true });
      const { status, out } = await quietly(() => run([join(dir, `${flow}.yaml`)], { format: 'text', generate: [] }));
      assert.equal(status, 0, out);
      const result = await runTests([join(dir, `${flow}.test.yaml`)]);
      assert.equal(result.failed, 0, renderText(result));
      // One case per node the search reaches (fetch answers and clock-dependent nodes aside).
      assert.ok(result.passed >= 3, renderText(result));
    });
  }
});

describe('ivr test --generate: branches reached by how the call starts', () => {
  test('moves the clock into business hours, picks call ids for each split case and a language: the desk is covered whole', async () => {
    const dir = tempDir('ivr-generate-start-');
    for (const f of ['desk.yaml', 'pin.yaml', 'prompts']) await cp(join('test/testing/fixtures/files-v11', f), join(dir, f), { recursive: true });
    const { status, out } = await quietly(() => run([], { format: 'text', generate: [join(dir, 'desk.yaml')] }));
    assert.equal(status, 0, out);
    const text = await readFile(join(dir, 'desk.test.yaml'), 'utf8');
    const starts = (parse(text) as { cases: { name: string; start?: Record<string, unknown> }[] }).cases.map((c) => [c.name.split(':')[0], c.start ?? null]);
    // The default clock (Monday 09:00 UTC) is 03:00 in Chicago: the first hour the desk is open is 15:00 UTC.
    assert.deepEqual(starts.find(([name]) => name === 'reaches welcome'), ['reaches welcome', { at: '2026-01-05T15:00:00Z' }]);
    // test-call's bucket (76) takes the split's rest (main_new); call-3's (9) its first 50%.
    assert.deepEqual(starts.find(([name]) => name === 'reaches main'), ['reaches main', { at: '2026-01-05T15:00:00Z', callId: 'call-3' }]);
    assert.deepEqual(starts.find(([name]) => name === 'reaches spanish'), ['reaches spanish', { headers: { lang: 'es' } }]);

    const result = await runTests([join(dir, 'desk.test.yaml')], { coverage: true });
    assert.equal(result.failed, 0, renderText(result));
    assert.equal(result.coverage!.find((c) => c.flow === 'desk')!.percent, 100, renderText(result));
  });

  test("finds the branches that depend on the start: on now or the language directly or through variables, and every split", async () => {
    const { divergences } = await import('../../src/testing/start-variants.js');
    const { splitBucket, splitCase } = await import('../../src/compile/split-bucket.js');
    const doc = parse(`
ivr: 1
id: x
settings: { languages: [en, fr] }
vars: { hour: 0, late: false, vip: false }
nodes:
  clock:
    set: { hour: "now.getHours('America/Chicago')" }
    next: derived
  derived:
    set: { late: "hour >= 17" }
    next: by_late
  by_late:
    branch: [{ if: "late", goto: ab }, { goto: ab }]
  by_vip:
    branch: [{ if: "vip && 'now' == 'now'", goto: ab }, { goto: ab }]
  by_language:
    branch: [{ if: "language == 'fr'", goto: ab }, { goto: ab }]
  ab:
    split: [{ percent: 10, goto: by_vip }, { percent: 30, goto: by_language }, { goto: clock }]
`) as import('../../src/flow/types.js').FlowDoc;
    const found = divergences(doc);
    assert.deepEqual(found.map((d) => d.node), ['by_late', 'by_language', 'ab']);
    assert.equal(found[0]!.candidates.length, 7 * 24);
    assert.deepEqual(found[1]!.candidates, [{ lang: 'fr' }]);
    const ids = found[2]!.candidates.map((c) => c.callId!);
    assert.deepEqual(ids.map((id) => splitCase([10, 30, undefined], splitBucket(id))), [0, 1, 2]);

    // A split of 100 one-percent cases: a call id for every one of them.
    const percents = Array.from({ length: 100 }, () => 1);
    const wide = divergences({ ivr: 1, nodes: { ab: { split: percents.map((percent, i) => ({ percent, goto: `n${i}` })) } } });
    assert.deepEqual(wide[0]!.candidates.map((c) => splitCase(percents, splitBucket(c.callId!))), percents.map((_, i) => i));
  });
});
