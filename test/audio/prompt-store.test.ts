import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadPromptStore, PROMPT_STORE_CODES } from '../../src/audio/prompt-store.js';
import { CODES } from '../../src/diagnostics/codes.js';
import { SYSTEM_PROMPT_NAMES } from '../../src/audio/system-set.js';
import { MEDIA_FORMATS } from '../../src/audio/types.js';
import type { FlowNode } from '../../src/flow/types.js';
import { allMulawBytes, loadedFlow, tempDir, tone, writeWav } from './wav-fixtures.js';

const MULAW = 'audio/x-mulaw;rate=8000' as const;
const L16_16K = 'audio/x-l16;rate=16000' as const;

/** A flow folder with a few prompt files, and a flow that uses them in every prompt-carrying key. */
function supportFlow(id = 'support') {
  const dir = tempDir();
  writeWav(join(dir, 'prompts', 'en', 'welcome.wav'), { rate: 16000, bitDepth: '16', samples: tone(16000, 500) });
  writeWav(join(dir, 'prompts', 'menu.wav'), { rate: 8000, bitDepth: '8m', samples: allMulawBytes(2) });
  for (const name of ['again', 'no_input', 'invalid', 'wait', 'transferring', 'leave_message', 'bye', 'balance_is']) {
    writeWav(join(dir, 'prompts', `${name}.wav`), { rate: 8000, bitDepth: '16', samples: tone(8000, 100) });
  }
  const nodes: Record<string, FlowNode> = {
    greet: { play: 'welcome', next: 'main' },
    main: {
      menu: {
        prompt: ['menu', { silence: '250ms' }],
        reprompt: 'again',
        options: { '1': 'lookup' },
        noInput: { prompt: 'no_input' },
        noMatch: { prompt: 'invalid' },
      },
    },
    lookup: { fetch: { url: 'https://example.com', prompt: 'wait' }, next: 'say' },
    say: { play: ['balance_is', { number: 'balance' }], next: 'operator' },
    operator: { transfer: { prompt: 'transferring', dtmf: '1' }, next: 'vm' },
    vm: { record: { prompt: 'leave_message' }, next: 'bye' },
    bye: { end: { prompt: 'bye' } },
  };
  return loadedFlow(dir, id, { nodes, prompts: { welcome: { file: 'en/welcome.wav', text: 'Thanks for calling.' } } });
}

describe('loadPromptStore', () => {
  test('loads every prompt a flow plays, in every call format', async () => {
    const flow = supportFlow();
    const { store, diagnostics } = await loadPromptStore([flow]);
    assert.deepEqual(diagnostics, []);
    for (const name of ['welcome', 'menu', 'again', 'no_input', 'invalid', 'wait', 'balance_is', 'transferring', 'leave_message', 'bye']) {
      for (const format of MEDIA_FORMATS) assert.ok(store.get('support', name, format), `${name} in ${format}`);
    }
    assert.equal(store.get('support', 'welcome', MULAW)?.durationMs, 500);
    assert.equal(store.get('support', 'welcome', L16_16K)?.data.length, 16000);
  });

  test('loads the whole system set, whether or not the flow speaks numbers', async () => {
    const dir = tempDir();
    const { store, diagnostics } = await loadPromptStore([loadedFlow(dir, 'bare', { nodes: { done: { end: null } } })]);
    assert.deepEqual(diagnostics, []);
    for (const name of SYSTEM_PROMPT_NAMES) assert.ok(store.get('bare', name, MULAW), name);
    assert.equal(store.get('bare', 'beep', MULAW)?.durationMs, 250);
  });

  test('two flows using the same system prompt share one object, not copies', async () => {
    const a = supportFlow('a');
    const b = loadedFlow(tempDir(), 'b', { nodes: { say: { play: { digits: 'x' } } } });
    const { store } = await loadPromptStore([a, b]);
    for (const format of MEDIA_FORMATS) {
      const fromA = store.get('a', 'digit-3', format);
      assert.ok(fromA);
      assert.equal(store.get('b', 'digit-3', format), fromA);
    }
  });

  test('a flow that overrides a system prompt gets its own audio, the others keep the shared one', async () => {
    const own = tempDir();
    writeWav(join(own, 'prompts', 'en', 'digit-3.wav'), { rate: 8000, bitDepth: '16', samples: tone(8000, 40) });
    const { store } = await loadPromptStore([
      loadedFlow(own, 'own', { nodes: { say: { play: { digits: 'x' } } } }),
      loadedFlow(tempDir(), 'plain', { nodes: { say: { play: { digits: 'x' } } } }),
    ]);
    assert.equal(store.get('own', 'digit-3', MULAW)?.durationMs, 40);
    assert.notEqual(store.get('plain', 'digit-3', MULAW), store.get('own', 'digit-3', MULAW));
    assert.equal(store.get('plain', 'digit-4', MULAW), store.get('own', 'digit-4', MULAW));
  });

  test('a reload reuses the audio of unchanged files and reconverts edited ones', async () => {
    const flow = supportFlow();
    const first = (await loadPromptStore([flow])).store;
    const second = (await loadPromptStore([flow])).store;
    assert.equal(second.get('support', 'menu', MULAW), first.get('support', 'menu', MULAW));
    writeWav(join(flow.dir, 'prompts', 'menu.wav'), { rate: 8000, bitDepth: '16', samples: tone(8000, 60) });
    const third = (await loadPromptStore([flow])).store;
    assert.notEqual(third.get('support', 'menu', MULAW), first.get('support', 'menu', MULAW));
    assert.equal(third.get('support', 'menu', MULAW)?.durationMs, 60);
    assert.equal(first.get('support', 'menu', MULAW)?.data.length, 512, 'a store already built keeps its audio');
    assert.equal(third.get('support', 'bye', MULAW), first.get('support', 'bye', MULAW));
  });

  test('a μ-law 8 kHz prompt file is sent to μ-law calls byte for byte', async () => {
    const { store } = await loadPromptStore([supportFlow()]);
    assert.deepEqual(new Uint8Array(store.get('support', 'menu', MULAW)?.data ?? []), allMulawBytes(2));
  });

  test('every playAudio frame parses to the audio it carries', async () => {
    const { store } = await loadPromptStore([supportFlow()]);
    for (const format of MEDIA_FORMATS) {
      const audio = store.get('support', 'welcome', format);
      assert.ok(audio);
      assert.deepEqual(JSON.parse(audio.playAudioFrame), {
        event: 'playAudio',
        media: { contentType: audio.contentType, sampleRate: audio.sampleRate, payload: audio.data.toString('base64') },
      });
    }
  });

  test('reports a prompt name that resolves to nothing, at the item that plays it', async () => {
    const dir = tempDir();
    const flow = loadedFlow(dir, 'broken', { nodes: { greet: { menu: { prompt: ['hello', 'welcome'], options: { '1': 'greet' } } } } });
    writeWav(join(dir, 'prompts', 'hello.wav'), { rate: 8000, bitDepth: '16', samples: tone(8000, 10) });
    const { store, diagnostics } = await loadPromptStore([flow]);
    assert.deepEqual(diagnostics, [
      {
        code: 'unknown-prompt',
        severity: 'error',
        message: `prompt "welcome": no prompts: entry and no file ${join('prompts', 'en', 'welcome.wav')} or ${join('prompts', 'welcome.wav')}`,
        file: flow.file,
        line: 1,
        col: 1,
        pointer: '/nodes/greet/menu/prompt/1',
      },
    ]);
    assert.equal(store.get('broken', 'welcome', MULAW), undefined);
    assert.ok(store.get('broken', 'hello', MULAW), 'the flow still plays what it can');
  });

  test('reports a prompt file that cannot be played, with the reason in plain words', async () => {
    const dir = tempDir();
    const left = tone(8000, 10);
    writeWav(join(dir, 'prompts', 'music.wav'), { channels: 2, rate: 8000, bitDepth: '16', samples: [left, left] });
    writeFileSync(join(dir, 'prompts', 'notes.wav'), 'not audio at all');
    const flow = loadedFlow(dir, 'bad', { nodes: { a: { play: 'music', next: 'b' }, b: { end: { prompt: 'notes' } } } });
    const { diagnostics } = await loadPromptStore([flow]);
    assert.deepEqual(
      diagnostics.map((d) => [d.code, d.pointer, d.message]),
      [
        ['prompt-file-unsupported', '/nodes/a/play', `prompt "music" (${join(dir, 'prompts', 'music.wav')}): stereo: prompts must be mono`],
        ['prompt-file-unsupported', '/nodes/b/end/prompt', `prompt "notes" (${join(dir, 'prompts', 'notes.wav')}): not a WAV file`],
      ],
    );
  });

  test('reports a prompts: entry whose file does not exist as a missing file', async () => {
    const dir = tempDir();
    const flow = loadedFlow(dir, 'missing', { prompts: { hello: { file: 'hello.wav' } }, nodes: { a: { play: 'hello' } } });
    const { diagnostics } = await loadPromptStore([flow]);
    assert.deepEqual(
      diagnostics.map((d) => [d.code, d.severity, d.pointer, d.message]),
      [['prompt-file-missing', 'error', '/nodes/a/play', `prompt "hello" (${join(dir, 'prompts', 'hello.wav')}): file not found`]],
    );
  });

  test('reports only codes of the diagnostics registry', () => {
    for (const code of Object.values(PROMPT_STORE_CODES)) assert.ok(code in CODES, code);
  });

  test('a flow in a language without a system set is told so only if it speaks numbers', async () => {
    const quiet = loadedFlow(tempDir(), 'quiet', { settings: { language: 'xx' }, nodes: { done: { end: null } } });
    const speaking = loadedFlow(tempDir(), 'speaking', { settings: { language: 'xx' }, nodes: { say: { play: [{ silence: 10 }, { digits: 'x' }] } } });
    const { diagnostics } = await loadPromptStore([quiet, speaking]);
    assert.equal(diagnostics.length, 10 + 10 + 8 + 5);
    assert.ok(diagnostics.every((d) => d.pointer === '/nodes/say/play/1' && d.code === 'unknown-prompt' && d.file === speaking.file));
  });

  test('get() takes the flow language by default, another prepared language on request, and falls back', async () => {
    const dir = tempDir();
    writeWav(join(dir, 'prompts', 'es', 'welcome.wav'), { rate: 8000, bitDepth: '16', samples: tone(8000, 300) });
    writeWav(join(dir, 'prompts', 'fr', 'welcome.wav'), { rate: 8000, bitDepth: '16', samples: tone(8000, 200) });
    writeWav(join(dir, 'prompts', 'es', 'menu.wav'), { rate: 8000, bitDepth: '16', samples: tone(8000, 120) });
    const flow = loadedFlow(dir, 'multi', { settings: { language: 'es' }, nodes: { greet: { play: ['welcome', 'menu'] } } });
    const { store } = await loadPromptStore([flow]);
    assert.equal(store.get('multi', 'welcome', MULAW)?.durationMs, 300);
    assert.equal(store.get('multi', 'welcome', MULAW, 'fr')?.durationMs, 200);
    assert.equal(store.get('multi', 'welcome', MULAW, 'de')?.durationMs, 300);
    // fr has no menu of its own: the flow's language (es) answers.
    assert.equal(store.get('multi', 'menu', MULAW, 'fr')?.durationMs, 120);
    assert.equal(store.get('nobody', 'welcome', MULAW), undefined);
  });

  test('options.formats limits the work to the formats served', async () => {
    const { store } = await loadPromptStore([supportFlow()], { formats: [L16_16K] });
    assert.ok(store.get('support', 'welcome', L16_16K));
    assert.equal(store.get('support', 'welcome', MULAW), undefined);
  });

  test('text() gives the words of a prompt, and of system prompts', async () => {
    const { store } = await loadPromptStore([supportFlow()]);
    assert.equal(store.text('support', 'welcome'), 'Thanks for calling.');
    assert.equal(store.text('support', 'digit-7'), 'seven');
    assert.equal(store.text('support', 'number-40'), 'forty');
    assert.equal(store.text('support', 'menu'), undefined);
  });
});

describe('PromptStore.silence', () => {
  test('lasts the length asked for in each format, with the codec’s silent value', async () => {
    const { store } = await loadPromptStore([]);
    const mulaw = store.silence(250, MULAW);
    assert.equal(mulaw.data.length, 2000);
    assert.ok(mulaw.data.every((byte) => byte === 0xff), 'μ-law silence is 0xFF');
    assert.equal(mulaw.durationMs, 250);
    assert.equal(store.silence(250, 'audio/x-l16;rate=8000').data.length, 4000);
    const l16 = store.silence(250, L16_16K);
    assert.equal(l16.data.length, 8000);
    assert.ok(l16.data.every((byte) => byte === 0));
    assert.equal(JSON.parse(l16.playAudioFrame).media.sampleRate, 16000);
  });

  test('is built once per length and format', async () => {
    const { store } = await loadPromptStore([]);
    assert.equal(store.silence(500, MULAW), store.silence(500, MULAW));
    assert.notEqual(store.silence(500, MULAW), store.silence(500, L16_16K));
    assert.equal(store.silence(-5, MULAW).data.length, 0);
    assert.equal(store.silence(0, MULAW).base64, '');
    assert.equal(JSON.parse(store.silence(0, MULAW).playAudioFrame).media.payload, '');
  });
});
