/**
 * Hot reload over real files and sockets: an edit serves new calls while calls in progress keep
 * their version; a broken edit keeps the old version serving and turns /readyz to 503.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { readCallRecords } from '../../src/ops/call-records.js';
import { affectsServing } from '../../src/ops/reload.js';
import { encodeWav } from '../../src/audio/pcm.js';
import { hearPrompts, tone } from '../support/e2e-harness.js';
import { OPS_FLOW, serveOpsFlowPerSuite } from './support/ops-harness.js';
import { parsePromText, sampleValue } from './support/prom-text.js';

describe('hot reload', () => {
  const suite = serveOpsFlowPerSuite();

  const versionNow = (): string => suite.s.ops.reloader.current().flows.get('ops')!.version;

  test('a flow edited during a call: that call keeps its prompts, the next call gets the new ones', async () => {
    const oldVersion = versionNow();
    const first = await suite.s.call('ops', { callId: 'reload-old' });
    assert.deepEqual(await first.nextPrompt(), ['welcome']);

    const reloaded = suite.s.ops.reloader.nextReload();
    await writeFile(join(suite.fixture.dir, 'ops.yaml'), OPS_FLOW.replace('prompt: main_menu', 'prompt: menu_v2'));
    const outcome = await reloaded;
    assert.equal(outcome.ok, true);
    assert.notEqual(versionNow(), oldVersion);

    first.ackAll();
    assert.deepEqual(await first.nextPrompt(), ['main_menu'], 'the call in progress keeps the version it started with');
    const second = await suite.s.call('ops', { callId: 'reload-new' });
    assert.deepEqual(await hearPrompts(second, 2), ['welcome', 'menu_v2']);

    first.hangup();
    second.hangup();
    await Promise.all([first.closed, second.closed]);
    const deadline = Date.now() + 3000;
    let records = await readCallRecords(suite.s.recordsFile);
    while (records.length < 2 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 10));
      records = await readCallRecords(suite.s.recordsFile);
    }
    const versions = Object.fromEntries(records.map((r) => [r.callId, r.version]));
    assert.deepEqual(versions, { 'reload-old': oldVersion, 'reload-new': versionNow() });
  });

  test('a broken edit keeps the old version serving; /readyz says why until a fix arrives', async () => {
    const goodVersion = versionNow();
    const refused = suite.s.ops.reloader.nextReload();
    await writeFile(join(suite.fixture.dir, 'ops.yaml'), OPS_FLOW.replace('next: menu', 'next: nowhere'));
    const outcome = await refused;
    assert.equal(outcome.ok, false);
    assert.equal(versionNow(), goodVersion);

    const ready = await fetch(`${suite.s.base}/readyz`);
    assert.equal(ready.status, 503);
    const body = (await ready.json()) as { status: string; failed: { errors: number; diagnostics: { code: string; message: string; line: number }[] } };
    assert.equal(body.status, 'reload-failed');
    assert.ok(body.failed.errors >= 1);
    assert.ok(body.failed.diagnostics.some((d) => /nowhere/.test(d.message) && d.line > 0), JSON.stringify(body.failed.diagnostics));
    // Printed as `ivr validate` prints it: path:line:col: severity CODE message, then the summary.
    assert.match(suite.reports.at(-1) ?? '', /ops\.yaml:\d+:\d+: error \S+ .*nowhere/);
    assert.match(suite.reports.at(-1) ?? '', /1 error/);
    assert.ok(suite.s.logs.some((l) => l.msg === 'reload refused: the previous flows keep serving'));

    const metrics = parsePromText(await (await fetch(`${suite.s.base}/metrics`)).text());
    assert.equal(sampleValue(metrics, 'ivr_flow_reload_failures_total'), 1);
    assert.equal(sampleValue(metrics, 'ivr_flow_version_info', { flow: 'ops', version: goodVersion }), 1);

    const during = await suite.s.call('ops');
    assert.deepEqual(await hearPrompts(during, 2), ['welcome', 'menu_v2'], 'new calls still get the last good version');
    during.hangup();

    const fixed = suite.s.ops.reloader.nextReload();
    await writeFile(join(suite.fixture.dir, 'ops.yaml'), OPS_FLOW);
    assert.equal((await fixed).ok, true);
    const again = await fetch(`${suite.s.base}/readyz`);
    assert.equal(again.status, 200);
    assert.equal(((await again.json()) as { status: string }).status, 'ready');
  });

  test('a prompt recorded again (a WAV in a subfolder) is a new version too', async () => {
    const before = versionNow();
    const reloaded = suite.s.ops.reloader.nextReload();
    await writeFile(join(suite.fixture.dir, 'prompts', 'goodbye.wav'), encodeWav(tone(90, 1234), 8000));
    const outcome = await reloaded;
    assert.equal(outcome.ok && outcome.changed, true);
    assert.notEqual(versionNow(), before);
  });

  test('only flows and prompt audio trigger a reload', () => {
    for (const file of ['ops.yaml', 'sub/menu.yml', 'prompts/en/welcome.wav', 'PROMPTS/X.WAV']) assert.equal(affectsServing(file), true, file);
    for (const file of ['ops.test.yaml', 'calls.jsonl', '.ops.yaml.swp', 'ops.yaml~', 'README.md']) assert.equal(affectsServing(file), false, file);
  });
});
