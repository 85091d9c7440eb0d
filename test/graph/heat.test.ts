import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { goldenHeat } from '../report/golden.js';

describe('ivr graph --heat', () => {
  test('Mermaid: each option edge carries its key\'s matches, nodes their entries and drop-off, filled by it', async () => {
    const text = await goldenHeat('mermaid');
    assert.match(text, /n_main_\d+\["main<br\/>menu: menu<br\/>entries 10 · hangups 1 \(10%\)"\]/);
    assert.match(text, /style n_main_\d+ fill:#fdeded/);
    assert.match(text, /n_greet_\d+ -->\|"next · 10"\| n_main_/);
    assert.match(text, /n_main_\d+ -->\|"1 · 5"\| n_pin_/);
    assert.match(text, /n_main_\d+ -.->\|"0 \(global\) · 1"\| n_operator_/);
    // Back from the subflow: three PINs accepted, one refused (ended inside), one hang-up.
    assert.match(text, /n_pin_\d+ -->\|"after check-pin · 3"\| n_lookup_/);
    assert.match(text, /n_goodbye_\d+ -->\|"completed · 3"\| call_ends/);
  });

  test('DOT: the same figures, line width by traffic', async () => {
    const text = await goldenHeat('dot');
    assert.match(text, /"main" \[label="main\\nmenu: menu\\nentries 10 · hangups 1 \(10%\)", style=filled, fillcolor="#fdeded"\];/);
    assert.match(text, /"greet" -> "main" \[label="next · 10", penwidth=8.0\];/);
    assert.match(text, /"lookup" -> "sorry" \[label="error · 1", penwidth=1.7, style=dotted\];/);
  });
});
