import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, rmSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { resolvePrompt, resolvePromptFile } from '../../src/audio/resolve-prompt.js';
import { SYSTEM_PROMPTS_DIR } from '../../src/audio/system-set.js';
import type { FlowDoc } from '../../src/flow/types.js';
import { tempDir, tone, writeWav } from './wav-fixtures.js';

const short = { rate: 8000, bitDepth: '16', samples: tone(8000, 20) };

function flowIn(dir: string, prompts?: FlowDoc['prompts']): { dir: string; doc: FlowDoc } {
  return { dir, doc: { ivr: 1, nodes: {}, ...(prompts ? { prompts } : {}) } };
}

describe('resolvePromptFile: where a prompt name finds its audio', () => {
  test('prompts/<language>/<name>.wav comes before prompts/<name>.wav', () => {
    const dir = tempDir();
    const inLanguage = writeWav(join(dir, 'prompts', 'en', 'welcome.wav'), short);
    const plain = writeWav(join(dir, 'prompts', 'welcome.wav'), short);
    assert.equal(resolvePromptFile(flowIn(dir), 'welcome', 'en'), inLanguage);
    // Another language without its own file falls to the language-neutral one.
    assert.equal(resolvePromptFile(flowIn(dir), 'welcome', 'es'), plain);
    rmSync(inLanguage);
    assert.equal(resolvePromptFile(flowIn(dir), 'welcome', 'en'), plain);
  });

  test('a prompts: entry wins over both folders, its file relative to prompts/', () => {
    const dir = tempDir();
    writeWav(join(dir, 'prompts', 'en', 'welcome.wav'), short);
    const declared = writeWav(join(dir, 'prompts', 'greetings', 'hello.wav'), short);
    const flow = flowIn(dir, { welcome: { file: 'greetings/hello.wav', text: 'Hello.' } });
    assert.deepEqual(resolvePrompt(flow, 'welcome', 'en'), { ok: true, path: declared, source: 'prompts-entry' });
  });

  test('a prompts: entry may also be relative to the flow folder when prompts/ has no such file', () => {
    const dir = tempDir();
    const beside = writeWav(join(dir, 'audio', 'hello.wav'), short);
    assert.equal(resolvePromptFile(flowIn(dir, { welcome: { file: 'audio/hello.wav' } }), 'welcome', 'en'), beside);
  });

  test('a prompts: entry whose file is missing still answers its path, for "file not found"', () => {
    const dir = tempDir();
    writeWav(join(dir, 'prompts', 'welcome.wav'), short);
    const flow = flowIn(dir, { welcome: { file: 'missing.wav' } });
    assert.equal(resolvePromptFile(flow, 'welcome', 'en'), join(dir, 'prompts', 'missing.wav'));
  });

  test('system names fall back to the engine set for the language', () => {
    const dir = tempDir();
    for (const name of ['digit-0', 'digit-9', 'number-17', 'number-90', 'hundred', 'thousand', 'million', 'minus', 'point', 'beep']) {
      assert.deepEqual(resolvePrompt(flowIn(dir), name, 'en'), { ok: true, path: join(SYSTEM_PROMPTS_DIR, 'en', `${name}.wav`), source: 'system' });
    }
  });

  test('a flow overrides a system prompt with its own file', () => {
    const dir = tempDir();
    const own = writeWav(join(dir, 'prompts', 'en', 'digit-7.wav'), short);
    assert.equal(resolvePromptFile(flowIn(dir), 'digit-7', 'en'), own);
    assert.equal(resolvePromptFile(flowIn(dir), 'digit-6', 'en'), join(SYSTEM_PROMPTS_DIR, 'en', 'digit-6.wav'));
  });

  test('names outside the system set never reach the engine folder', () => {
    const dir = tempDir();
    // number-21 is spoken as number-20 digit-1, so the set has no such file and no such name.
    assert.equal(resolvePromptFile(flowIn(dir), 'number-21', 'en'), undefined);
    assert.equal(resolvePromptFile(flowIn(dir), 'generate.sh', 'en'), undefined);
  });

  test('explains a name that resolves to nothing', () => {
    const dir = tempDir();
    assert.deepEqual(resolvePrompt(flowIn(dir), 'welcome', 'en'), {
      ok: false,
      reason: `no prompts: entry and no file ${join('prompts', 'en', 'welcome.wav')} or ${join('prompts', 'welcome.wav')}`,
    });
    const fr = resolvePrompt(flowIn(dir), 'digit-1', 'fr');
    assert.equal(fr.ok, false);
    assert.match(fr.ok ? '' : fr.reason, /no system prompt "digit-1" for language "fr"/);
  });

  test('a name or language cannot climb out of the folders', () => {
    const dir = tempDir();
    writeWav(join(dir, 'secret.wav'), short);
    writeWav(join(dir, 'prompts', 'en', 'x.wav'), short);
    for (const name of ['../secret', '..', 'en/x', 'en\\x', '']) {
      assert.equal(resolvePromptFile(flowIn(dir), name, 'en'), undefined, `name ${JSON.stringify(name)}`);
    }
    assert.equal(resolvePromptFile(flowIn(dir), 'digit-1', '..'), undefined);
    assert.equal(resolvePromptFile(flowIn(dir), 'digit-1', 'en/../../..'), undefined);
  });

  test('a prompts: entry cannot point outside the flow folder', () => {
    const parent = tempDir();
    const dir = join(parent, 'flow');
    writeWav(join(parent, 'outside.wav'), short);
    writeWav(join(dir, 'prompts', 'ok.wav'), short);
    const escaping = flowIn(dir, { a: { file: '../../outside.wav' }, b: { file: join(parent, 'outside.wav') }, c: { file: '../outside.wav' } });
    assert.deepEqual(resolvePrompt(escaping, 'a', 'en'), { ok: false, reason: `prompts.a.file "../../outside.wav" points outside the flow's folder` });
    assert.equal(resolvePromptFile(escaping, 'b', 'en'), undefined);
    // `../outside.wav` from prompts/ is the flow folder's own (missing) outside.wav, never the parent's.
    assert.equal(resolvePromptFile(escaping, 'c', 'en'), join(dir, 'outside.wav'));
  });

  test('a prompt file that is a link out of the flow folder is refused, by name or by entry; links inside it are fine', () => {
    const parent = tempDir();
    const dir = join(parent, 'flows');
    // Another tenant's prompt, or the server's recordings of callers: never played by a link.
    writeWav(join(parent, 'recordings', 'caller.wav'), short);
    mkdirSync(join(dir, 'prompts', 'en'), { recursive: true });
    symlinkSync('../../../recordings/caller.wav', join(dir, 'prompts', 'en', 'welcome.wav'));
    symlinkSync('../../recordings/caller.wav', join(dir, 'prompts', 'digit-1.wav'));
    symlinkSync('../../recordings/caller.wav', join(dir, 'prompts', 'entry.wav'));
    const flow = flowIn(dir, { named: { file: 'entry.wav' } });
    const refused = (path: string) => ({ ok: false, reason: `${path} is a link that leads outside the flow's folder; only files inside it are played`, refused: true });
    assert.deepEqual(resolvePrompt(flow, 'welcome', 'en'), refused(join('prompts', 'en', 'welcome.wav')));
    // Not the system prompt instead: the flow's own file is there, and refused.
    assert.deepEqual(resolvePrompt(flow, 'digit-1', 'en'), refused(join('prompts', 'digit-1.wav')));
    assert.deepEqual(resolvePrompt(flow, 'named', 'en'), refused(join('prompts', 'entry.wav')));
    // A ConfigMap's layout: prompts/ is a link to ..data/prompts, inside the folder.
    const mounted = join(parent, 'mounted');
    const real = writeWav(join(mounted, '..2026_12_05', 'prompts', 'hello.wav'), short);
    symlinkSync('..2026_12_05', join(mounted, '..data'));
    symlinkSync('..data/prompts', join(mounted, 'prompts'));
    assert.deepEqual(resolvePrompt(flowIn(mounted), 'hello', 'en'), { ok: true, path: join(mounted, 'prompts', 'hello.wav'), source: 'prompt-folder' });
    assert.ok(real.startsWith(mounted));
  });
});
