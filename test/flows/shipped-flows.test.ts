/**
 * The shipped flows as a flow author meets them: their own flow tests pass and reach every node,
 * option and handler; every prompt has words and audio, in the mix of encodings the engine
 * promises to convert; the authors' guide covers every node kind and setting.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { probeWav } from '../../src/audio/wav.js';
import { loadFlows } from '../../src/pipeline/load-flows.js';
import { NODE_KINDS, type FlowDoc } from '../../src/flow/types.js';
import { runCli } from '../support/run-cli.js';

const flowsDir = join(process.cwd(), 'flows');
const flowFiles = readdirSync(flowsDir).filter((f) => f.endsWith('.yaml') && !f.endsWith('.test.yaml')).sort();
const docs = new Map(flowFiles.map((f) => [f, parse(readFileSync(join(flowsDir, f), 'utf8')) as FlowDoc]));

describe('the shipped flows', () => {
  test('are the front door, the four lines and the shared subflow', () => {
    assert.deepEqual(flowFiles, ['after-hours.yaml', 'clinic.yaml', 'main.yaml', 'pharmacy.yaml', 'support.yaml', 'verify-dob.yaml']);
    assert.equal(docs.get('main.yaml')?.id, 'main', 'ivr serve answers with the flow `main` by default');
  });

  test('pass their own flow tests with 100% coverage (ivr test flows/ --min-coverage 100)', async () => {
    const run = await runCli(['test', 'flows/', '--coverage', '--min-coverage', '100', '--format', 'json']);
    assert.equal(run.status, 0, `${run.stdout}\n${run.stderr}`);
    const result = JSON.parse(run.stdout) as { ok: boolean; passed: number; failed: number; files: { flow: string }[] };
    assert.equal(result.ok, true);
    assert.equal(result.failed, 0);
    assert.deepEqual(result.files.map((f) => f.flow).sort(), ['after-hours', 'clinic', 'main', 'pharmacy', 'support', 'verify-dob'], 'every flow has a test file');
    assert.ok(result.passed >= 25, `only ${result.passed} cases`);
  });

  test('give every prompt its words, and a WAV under prompts/ when it names one', () => {
    for (const [file, doc] of docs) {
      for (const [name, def] of Object.entries(doc.prompts ?? {})) {
        assert.ok(def.text !== undefined && Object.values(def.text).join('').trim() !== '', `${file}: prompt ${name} has no text`);
        if (def.file === undefined) continue;
        const probe = probeWav(join(flowsDir, 'prompts', def.file));
        assert.ok(probe.ok, `${file}: ${def.file}: ${probe.ok ? '' : probe.reason}`);
        assert.equal(probe.channels, 1, `${def.file} is mono`);
      }
    }
  });

  test('exercise every encoding the engine converts: PCM 8 and 16 kHz, μ-law, A-law', () => {
    const seen = new Set<string>();
    for (const doc of docs.values()) {
      for (const def of Object.values(doc.prompts ?? {})) {
        if (def.file === undefined) continue;
        const probe = probeWav(join(flowsDir, 'prompts', def.file));
        if (probe.ok) seen.add(`${probe.encoding}@${probe.sampleRate}`);
      }
    }
    assert.deepEqual([...seen].sort(), ['alaw@8000', 'mulaw@8000', 'pcm16@16000', 'pcm16@8000']);
  });

  test('keep their audio small (under 5 MB in all)', () => {
    const dir = join(flowsDir, 'prompts', 'en');
    const bytes = readdirSync(dir).reduce((sum, f) => sum + statSync(join(dir, f)).size, 0);
    assert.ok(bytes < 5 * 1024 * 1024, `${bytes} bytes`);
  });
});

describe("the authors' guide (flows/README.md)", () => {
  const guide = readFileSync(join(flowsDir, 'README.md'), 'utf8');

  test('has a section with a YAML example for every node kind', () => {
    for (const kind of NODE_KINDS) {
      const section = new RegExp(`### ${kind}\\n[\\s\\S]*?\`\`\`yaml\\n[\\s\\S]*?\\b${kind}:`);
      assert.match(guide, section, `node kind ${kind}`);
    }
  });

  test('lists every setting with its default', () => {
    for (const [setting, def] of [['timeout', '5s'], ['interDigitTimeout', '3s'], ['bargeIn', 'true'], ['language', 'en'], ['maxCallDuration', '30m']]) {
      assert.match(guide, new RegExp(`\\| \`${setting}\` \\| \`${def}\` \\|`), setting);
    }
  });

  test('keeps the diagnostic codes markers for the front end', () => {
    assert.match(guide, /## Diagnostic codes\n\n<!-- codes:begin -->[\s\S]*<!-- codes:end -->/);
  });

  test('shows a first flow that validates as written, with no warnings', async () => {
    const first = /## A first flow\n\n```yaml\n([\s\S]*?)```/.exec(guide)?.[1];
    assert.ok(first);
    const dir = mkdtempSync(join(tmpdir(), 'ivr-guide-'));
    try {
      mkdirSync(join(dir, 'prompts', 'en'), { recursive: true });
      writeFileSync(join(dir, 'hello.yaml'), first);
      copyFileSync(join(flowsDir, 'prompts', 'en', 'welcome.wav'), join(dir, 'prompts', 'en', 'hello.wav'));
      copyFileSync(join(flowsDir, 'prompts', 'en', 'goodbye.wav'), join(dir, 'prompts', 'en', 'bye.wav'));
      const set = await loadFlows([dir]);
      const hello = set.flows.get('hello');
      assert.ok(hello, 'the flow loads with id hello');
      assert.deepEqual([...set.diagnostics, ...hello.diagnostics].map((d) => `${d.code}: ${d.message}`), []);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
