/**
 * `ivr call flows/support.yaml` in a real terminal: tmux runs it in a pane (stdin a TTY, so keys
 * are read in raw mode), `send-keys` presses keys, `capture-pane` reads the screen.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { waitForText } from './support.js';

function tmuxMissing(): string | undefined {
  if (spawnSync('tmux', ['-V']).status === 0) return undefined;
  if (process.env.CI) throw new Error('tmux not found: CI must install it (see .ci/run)');
  return 'tmux not found (apt-get install tmux)';
}

const skip = tmuxMissing();
const socket = `ivr-call-test-${process.pid}`;
const tmux = (...args: string[]): string => execFileSync('tmux', ['-L', socket, ...args], { encoding: 'utf8' });
const screen = (): string => tmux('capture-pane', '-p', '-t', 'call', '-S', '-100');

describe('ivr call in a terminal', { skip }, () => {
  before(() => {
    // remain-on-exit keeps the pane (and what it printed) after ivr exits.
    tmux('new-session', '-d', '-s', 'call', '-x', '220', '-y', '50', '-c', process.cwd(), `${process.execPath} bin/ivr.js call flows/support.yaml; echo "exit code $?"; sleep 30`);
  });
  after(() => {
    spawnSync('tmux', ['-L', socket, 'kill-server']);
  });

  test('shows the welcome prompt, takes a key in raw mode, shows the next prompt, q hangs up', async () => {
    await waitForText(screen, /> welcome "Thanks for calling Acme\." \(\d+\.\d s\)/);
    await waitForText(screen, /-- main_menu\n.*> main_menu "For billing, press 1\./);
    // One key, no Enter: raw mode delivers it at once.
    tmux('send-keys', '-t', 'call', '2');
    const afterKey = await waitForText(screen, /> support_hours "Our support team is available/);
    assert.match(afterKey, /key 2\n.*audio cleared\n.*-- support\n/, 'the key barges in: audio cleared, then the support node');
    tmux('send-keys', '-t', 'call', 'q');
    const end = await waitForText(screen, /exit code \d+/);
    assert.match(end, /call ended: hangup/);
    assert.match(end, /exit code 0/);
  });
});
