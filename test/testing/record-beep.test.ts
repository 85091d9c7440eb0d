/**
 * A `record` node's beep under `ivr test`'s simulated call: the beep is a playback with its own
 * checkpoint, and the recording (its capture, silence and maxDuration timers) starts when that
 * checkpoint is acknowledged, on the simulated clock.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { CallSummary } from '../../src/call/call-summary.js';
import type { CompiledFlow } from '../../src/compile/compiled-flow.js';
import type { PromptStore } from '../../src/audio/types.js';
import { prepareFlows } from '../../src/pipeline/prepare-flows.js';
import { SimulatedCall } from '../../src/testing/simulated-call.js';
import { voicemailFlow, VOICEMAIL_PROMPTS } from '../e2e/fixture-flows.js';
import { writeFixture, type Fixture } from '../support/e2e-harness.js';


const GRACE_MS = 2000;
const fixtures: Fixture[] = [];
let flow: CompiledFlow;
let prompts: PromptStore;
let beepMs: number;

/** The voicemail line with these record options, loaded and compiled by the real front end. */
async function voicemail(record?: string): Promise<{ flow: CompiledFlow; prompts: PromptStore }> {
  const fixture = await writeFixture({ 'voicemail.yaml': voicemailFlow(record) }, VOICEMAIL_PROMPTS);
  fixtures.push(fixture);
  const { value, diagnostics } = await prepareFlows([fixture.dir]);
  const compiled = value.compiled.get('voicemail');
  assert.ok(compiled, JSON.stringify(diagnostics));
  return { flow: compiled, prompts: value.prompts };
}

before(async () => {
  ({ flow, prompts } = await voicemail());
  const beep = prompts.get('voicemail', 'beep', 'audio/x-mulaw;rate=8000');
  assert.ok(beep, 'the system set has a beep');
  beepMs = beep.durationMs;
  assert.ok(beepMs > 0);
});
after(async () => {
  for (const fixture of fixtures) await fixture.cleanup();
});

/** A call that has heard the record prompt: the beep has just been sent. */
async function atTheBeep(summaries: CallSummary[] = []): Promise<SimulatedCall> {
  const call = await SimulatedCall.start({
    flow,
    prompts,
    watchers: [() => (event) => {
      if (event.type === 'ended') summaries.push(event.summary);
    }],
  });
  assert.deepEqual(call.take().plays, ['leave_message']);
  await call.played();
  assert.deepEqual(call.take().plays, ['beep']);
  assert.equal(call.hasPendingCheckpoints, true, 'the beep has a checkpoint of its own');
  return call;
}

const recordingStarted = (call: SimulatedCall): number | undefined => call.transcript.find((line) => line.text === 'recording starts')?.at;

describe('the record beep on the simulated clock', () => {
  test('the silence timer starts when the beep is acknowledged, however late', async () => {
    const call = await atTheBeep();
    await call.wait(1500);
    assert.equal(recordingStarted(call), undefined, 'not while the beep may still be playing');
    await call.played();
    const ackAt = recordingStarted(call);
    assert.ok(ackAt !== undefined);
    await call.wait(2999);
    assert.equal(call.node, 'leave');
    await call.wait(1);
    assert.equal(call.node, 'goodbye');
    assert.deepEqual(call.take().plays, ['goodbye']);
    assert.equal(call.transcript.find((line) => line.text === 'node goodbye')?.at, ackAt + 3000);
  });

  test('maxDuration counts from the beep\'s acknowledgement too', async () => {
    const call = await SimulatedCall.start(await voicemail('{ silenceTimeout: 60s, maxDuration: 4s }'));
    await call.played();
    await call.wait(700);
    await call.played();
    await call.wait(3999);
    assert.equal(call.node, 'leave');
    await call.wait(1);
    assert.equal(call.node, 'goodbye');
  });

  test('with no acknowledgement the beep counts as played after its length plus the playback grace', async () => {
    const call = await atTheBeep();
    const sentAt = call.transcript.at(-1)!.at;
    await call.wait(beepMs + GRACE_MS - 1);
    assert.equal(recordingStarted(call), undefined);
    await call.wait(1);
    assert.equal(recordingStarted(call), sentAt + beepMs + GRACE_MS);
    await call.wait(2999);
    assert.equal(call.node, 'leave');
    await call.wait(1);
    assert.equal(call.node, 'goodbye');
  });

  test('the terminator during the beep is ignored; after it, it ends the recording', async () => {
    const summaries: CallSummary[] = [];
    const call = await atTheBeep(summaries);
    await call.press('#');
    assert.equal(call.node, 'leave');
    assert.equal(recordingStarted(call), undefined);
    await call.played();
    await call.press('#');
    assert.equal(call.node, 'goodbye');
    assert.match(String(call.vars().message), /^memory:test-call-1\.wav$/);
    await call.played();
    assert.equal(call.ended, 'saved');
    assert.equal(summaries[0]?.recordings.length, 1);
  });

  test('a caller who hangs up during the beep leaves no recording', async () => {
    const summaries: CallSummary[] = [];
    const call = await atTheBeep(summaries);
    await call.hangup();
    await call.wait(0);
    assert.equal(summaries.length, 1);
    assert.equal(summaries[0]!.endReason, 'hangup');
    assert.deepEqual(summaries[0]!.recordings, []);
    assert.equal(call.timersPending, 0);
  });

  test('beep: false records right after the prompt', async () => {
    const call = await SimulatedCall.start(await voicemail('{ beep: false, silenceTimeout: 3s }'));
    assert.deepEqual(call.take().plays, ['leave_message']);
    await call.played();
    assert.deepEqual(call.take().plays, []);
    assert.equal(call.hasPendingCheckpoints, false);
    assert.ok(recordingStarted(call) !== undefined);
  });
});
