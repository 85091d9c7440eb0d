import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { parseCallRecords } from '../ops/call-records.js';
import { renderReplayJson, renderReplayText } from '../replay/render-replay.js';
import type { REPLAY_OPTIONS } from '../options/command-options.js';
import type { OptionValues } from '../options/option-schema.js';
import type { CommandResult } from './command.js';
import { UsageError } from './usage-error.js';

/** `call`: only these calls; `flow`: the file or folder to replay against. */
export type ReplayOptions = OptionValues<typeof REPLAY_OPTIONS>;

/**
 * `ivr replay <records file> [--call <id>] [--flow <file or folder>]`: replays calls recorded
 * by `ivr serve --records` against the flows as they are now, with simulated time, and reports
 * per call whether it behaves the same or where it first diverges.
 * Exit code: 0 no call diverged, 1 some did, 2 usage (no such file, unknown --call).
 *
 * @example ivr replay calls.jsonl --flow flows/ --call CA1234
 */
export async function run(args: readonly string[], options: ReplayOptions): Promise<CommandResult> {
  const file = args[0];
  if (file === undefined) throw new UsageError('replay needs a call records file: ivr replay calls.jsonl');
  const flowPath = options.flow;
  for (const path of [file, flowPath]) if (!existsSync(path)) throw new UsageError(`no such file or folder: ${path}`);

  const { records, skipped } = parseCallRecords(await readFile(file, 'utf8'));
  const notes = skipped > 0 ? `${file}: ${skipped} damaged line(s) skipped\n` : '';
  const wanted = options.call === undefined ? undefined : new Set(options.call);
  const chosen = wanted ? records.filter((r) => wanted.has(r.callId)) : records;
  for (const id of wanted ?? []) if (!chosen.some((r) => r.callId === id)) throw new UsageError(`no call ${id} in ${file}`);

  const { replayRecords } = await import('../replay/replay-records.js');
  const report = await replayRecords(chosen, [flowPath]);
  return { exitCode: report.ok ? 0 : 1, stdout: options.format === 'json' ? renderReplayJson(report) : renderReplayText(report), stderr: notes };
}
