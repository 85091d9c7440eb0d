/**
 * Prompt-load benchmark: converts a realistic prompt set (four flows of ten 2.5 s prompts at 8
 * and 16 kHz, plus the system set) into all three call formats, cold, in a fresh process.
 * Prints CPU time (the stable figure on a shared machine) and wall time; the aim is well under 1 s.
 *
 *   node dist/test/bench/prompt-load.js
 */
import { performance } from 'node:perf_hooks';
import { loadPromptStore } from '../../src/audio/prompt-store.js';
import { realisticPromptFlows } from '../audio/wav-fixtures.js';

const flows = realisticPromptFlows();
const cpu0 = process.cpuUsage();
const t0 = performance.now();
const { diagnostics } = await loadPromptStore(flows);
const wallMs = performance.now() - t0;
const cpu = process.cpuUsage(cpu0);
if (diagnostics.length > 0) throw new Error(`prompt set did not load: ${JSON.stringify(diagnostics)}`);
console.log(`prompt load: ${((cpu.user + cpu.system) / 1000).toFixed(0)} ms CPU, ${wallMs.toFixed(0)} ms wall`);
