/**
 * The flow schema (JSON, for editors and ajv) states a `{ say }` item's bound as a number; the
 * engine's one home for it is MAX_SAY_CHARS, which the synthesizer applies to the text as
 * rendered. This keeps the two from drifting apart: the longest `say` a flow may write is the
 * longest text the synthesizer takes (templates can still render longer text: that is a runtime
 * error, flows/README "Prompts from text").
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { MAX_SAY_CHARS } from '../../src/speech/synthesizer.js';

test("the flow schema's `say` maxLength is MAX_SAY_CHARS, the bound the synthesizer applies", () => {
  const schema = readFileSync('schemas/flow.schema.json', 'utf8');
  const says = [...schema.matchAll(/"say": \{[^}]*"maxLength": (\d+)/g)].map((m) => Number(m[1]));
  assert.ok(says.length > 0, 'the schema has a bounded `say`');
  for (const bound of says) assert.equal(bound, MAX_SAY_CHARS);
});
