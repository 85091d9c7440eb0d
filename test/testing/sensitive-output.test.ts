/**
 * `ivr test flows/` prints no digit typed into a sensitive collect, in any flow or subflow
 * (issue 11 "Done when"; issue 10: transcripts printed the date of birth typed in verify-dob
 * when pharmacy ran it). Every case of the shipped flows is run in-process; the keys each case
 * typed are lined up with what its transcript shows, and every key shown masked is a key that
 * must appear nowhere: not in the text or json output, not in any transcript.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { loadTestFile } from '../../src/testing/load-tests.js';
import { renderGithub, renderJson, renderText, renderTranscript } from '../../src/testing/render-results.js';
import { runTests } from '../../src/testing/run-tests.js';

/** The sensitive collects of the shipped flows, by flow id (read from the YAML, not from the engine). */
function sensitiveCollects(): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  for (const name of readdirSync('flows').filter((f) => f.endsWith('.yaml') && !f.endsWith('.test.yaml'))) {
    const doc = parse(readFileSync(`flows/${name}`, 'utf8')) as { id?: string; nodes?: Record<string, { collect?: { sensitive?: boolean } }> };
    const id = doc.id ?? name.replace(/\.yaml$/, '');
    const nodes = Object.entries(doc.nodes ?? {}).filter(([, n]) => n.collect?.sensitive === true).map(([n]) => n);
    if (nodes.length > 0) out.set(id, new Set(nodes));
  }
  return out;
}

describe('ivr test flows/ and sensitive collects', () => {
  test('no output shows a key typed into a sensitive collect: text, json, transcripts (pharmacy -> verify-dob included)', async () => {
    const result = await runTests(['flows/'], { coverage: true });
    assert.equal(result.failed, 0);
    const sensitive = sensitiveCollects();
    assert.ok(sensitive.get('verify-dob')?.has('ask'));
    const hidden = new Set<string>();
    let maskedKeys = 0;
    const transcripts: string[] = [];
    for (const file of result.files) {
      const loaded = await loadTestFile(file.file);
      const cases = loaded.value?.cases ?? [];
      for (const c of file.cases) {
        const testCase = cases.find((tc) => tc.name === c.name);
        assert.ok(testCase, c.name);
        const typed = testCase.steps.flatMap((s) => (s.step.kind === 'press' ? [...s.step.keys] : []));
        const shown = c.transcript.filter((l) => l.text.startsWith('caller presses ')).map((l) => l.text.slice('caller presses '.length));
        assert.equal(shown.length, typed.length, `${c.name}: one transcript line per key`);
        // A key pressed while the call is in a sensitive collect (the transcript's last `node` line) shows as `*`.
        let node = '';
        let press = 0;
        for (const line of c.transcript) {
          if (line.text.startsWith('node ')) node = line.text.slice(5);
          else if (line.text.startsWith('caller presses ')) {
            const [flow, name] = node.includes('/') ? node.split('/') as [string, string] : [file.flow, node];
            if (sensitive.get(flow)?.has(name)) assert.equal(line.text, 'caller presses *', `${c.name}: key ${press + 1} in ${node}`);
            press++;
          }
        }
        // Runs of keys shown masked: what the caller typed into (or ahead of) a sensitive collect.
        let run = '';
        shown.forEach((key, i) => {
          if (key === '*' && typed[i] !== '*') {
            run += typed[i];
            maskedKeys++;
          } else {
            if (run.length >= 4) hidden.add(run);
            run = '';
          }
        });
        if (run.length >= 4) hidden.add(run);
        transcripts.push(renderTranscript(c.transcript).join('\n'));
      }
    }
    // The shipped tests do type dates of birth into verify-dob, through pharmacy and on its own.
    assert.ok(hidden.has('03051980'), `found: ${[...hidden].join(', ')}`);
    assert.ok(maskedKeys >= 40);
    const outputs = { text: renderText(result), json: renderJson(result), transcripts: transcripts.join('\n') };
    for (const [name, output] of Object.entries(outputs)) {
      for (const value of hidden) assert.ok(!output.includes(value), `${name} shows ${value}`);
    }
    // What a sensitive collect decided is shown as *** in the transcripts.
    assert.match(outputs.transcripts, /verify-dob\/ask decided match on "\*\*\*"/);
    assert.doesNotMatch(outputs.transcripts, /ask decided \w+ on "\d/);
  });

  test('a say, digits and a number reading back a sensitive value, and a fetch carrying it that times out, show it masked in text, json, github and transcripts', async () => {
    const result = await runTests(['test/testing/fixtures/sensitive-fetch/'], { coverage: false });
    assert.equal(result.failed, 1);
    const transcript = renderTranscript(result.files[0]!.cases[0]!.transcript).join('\n');
    // The attempts did time out (the line the leak was on) and the PIN was typed.
    assert.match(transcript, /verify\?pin=\*\*\* timed out/);
    assert.match(transcript, /caller presses \*/);
    assert.match(transcript, /play say: You entered \*\*\*\./);
    // `{ digits: pin }` and `{ number: "int(pin)" }` as serve's logs show a spoken value: `#`, one per run (call/shown-play.ts).
    assert.match(transcript, /play say: You entered \*\*\*\.\n.*play #\n.*play silence-200ms\n.*play #\n/);
    assert.doesNotMatch(transcript, /digit-|number-|hundred|thousand|"(one|two|three|four)"/);
    const outputs = { text: renderText(result), json: renderJson(result), github: renderGithub(result), transcript };
    for (const [name, output] of Object.entries(outputs)) {
      assert.ok(!output.includes('4321'), `${name} shows the PIN`);
      assert.ok(!/digit-[1-4]/.test(output), `${name} shows the PIN's digit prompts`);
    }
  });

  test('a PIN read back through an expression (int(pin) of 0042, a substring, a set) shows as #; a balance of 12 beside a secret 2 shows as number-12', async () => {
    const result = await runTests(['test/testing/fixtures/sensitive-derived/'], { coverage: false });
    const cases = result.files[0]!.cases;
    for (const c of cases) assert.equal(c.passed, true, `${c.name}: ${JSON.stringify(c.failure)}`);
    assert.equal(cases.length, 2);
    const transcripts = cases.map((c) => renderTranscript(c.transcript).join('\n')).join('\n');
    assert.match(transcripts, /play number-12 {2}"twelve"\n.*play silence-100ms\n.*play #\n.*play silence-100ms\n.*play #\n.*play silence-100ms\n.*play #\n/);
    assert.doesNotMatch(transcripts, /number-40|digit-|forty/);
    for (const output of [renderText(result), renderJson(result), transcripts]) assert.ok(!output.includes('0042'));
  });

  test('expect compares a fetch, a say and transfer tones as the engine made them, or as the transcript shows them when written with ***', async () => {
    const result = await runTests(['test/testing/fixtures/sensitive-expect/'], { coverage: false });
    const [shown, raw, wrong, written] = result.files[0]!.cases;
    assert.equal(shown?.passed, true, JSON.stringify(shown?.failure));
    assert.equal(raw?.passed, true, JSON.stringify(raw?.failure));
    assert.equal(wrong?.passed, false);
    // The failure shows what output shows, never the value the engine made.
    assert.deepEqual(wrong.failure?.mismatches, [{ key: 'fetch', expected: 'GET https://api.example.com/extensions/4322', actual: ['GET https://api.example.com/extensions/***'] }]);
    const transcripts = result.files[0]!.cases.map((c) => renderTranscript(c.transcript).join('\n')).join('\n');
    assert.match(transcripts, /sendDTMF \*2\*\*\*#/);
    assert.ok(!transcripts.includes('4321'), transcripts);
    // An expectation written with the secret fails on the say alone, and no output prints the secret: not the step header, not the expected side.
    assert.equal(written?.passed, false);
    assert.deepEqual(written.failure?.mismatches, [{ key: 'play', expected: ['welcome', 'say: Calling ***!', '#'], actual: ['welcome', 'say: Calling ***.', '#'] }]);
    const outputs = { text: renderText(result), json: renderJson(result), github: renderGithub(result) };
    for (const [name, output] of Object.entries(outputs)) {
      assert.ok(!output.includes('4321'), `${name} shows the extension:\n${output}`);
      assert.match(output, /Calling \*\*\*!/, name);
    }
  });

  test('a flow dialling the PIN where the extension belongs fails an expect of the extension tones, passes one of the PIN tones', async () => {
    const result = await runTests(['test/testing/fixtures/sensitive-swap/'], { coverage: false });
    const [extension, pin, masked] = result.files[0]!.cases;
    assert.equal(extension?.passed, false);
    assert.deepEqual(extension.failure?.mismatches.map((m) => [m.key, m.actual]), [['sendDtmf', '*2***#']]);
    assert.equal(pin?.passed, true, JSON.stringify(pin?.failure));
    assert.equal(masked?.passed, true, JSON.stringify(masked?.failure));
    for (const output of [renderText(result), renderJson(result), renderGithub(result)]) {
      assert.ok(!output.includes('4321') && !output.includes('9999'), output);
      assert.match(output, /\*2\*\*\*#/);
    }
  });

  test('a one-digit secret masks only the template parts that read it: a say, a fetch URL and tones keep the 2s of a balance of 12', async () => {
    const result = await runTests(['test/testing/fixtures/sensitive-short/'], { coverage: false });
    for (const c of result.files[0]!.cases) assert.equal(c.passed, true, `${c.name}: ${JSON.stringify(c.failure)}`);
    const transcript = renderTranscript(result.files[0]!.cases[0]!.transcript).join('\n');
    assert.match(transcript, /play say: Don't forget: 12 dollars in account \*\*\*\./);
    assert.match(transcript, /fetch GET https:\/\/api2\.example\.com\/v2\/accounts\/\*\*\*\/balance\?n=12 pending/);
    assert.match(transcript, /sendDTMF \*212\*\*\*#/);
  });
});
