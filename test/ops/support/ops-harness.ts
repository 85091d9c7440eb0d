/**
 * `ivr serve` as operated, in-process: real flows in a temp folder, the real server on 127.0.0.1
 * port 0, wired with `setUpOperations` (records file, logs captured line by line, metrics,
 * reload, signatures), and Plivo-like clients.
 */
import { join } from 'node:path';
import type { MediaFormat } from '../../../src/audio/types.js';
import { createServer, type IvrServer } from '../../../src/plivo/server.js';
import { loadServingFlows, type ServingFlows } from '../../../src/plivo/serving-flows.js';
import { createLogger } from '../../../src/ops/logger.js';
import { setUpOperations, type Operations, type OperationsConfig } from '../../../src/ops/operations.js';
import { PlivoClient, promptIndex, type PlivoClientOptions } from '../../support/plivo-client.js';
import { after, before } from 'node:test';
import { writeFixture, type Fixture } from '../../support/e2e-harness.js';

/**
 * A small line: greeting, menu, a sensitive PIN collect, a fetch that fails, an error end, and a
 * sensitive account number that goes into a fetch URL.
 */
export const OPS_FLOW = `ivr: 1
id: ops
settings:
  timeout: 3s
  interDigitTimeout: 1s
  bargeIn: true
vars:
  pin: ""
  account: ""
  api: "http://127.0.0.1:9"
onError: sorry
start: greet
nodes:
  greet:
    play: welcome
    next: menu
  menu:
    menu:
      prompt: main_menu
      options:
        "1": pin
        "2": lookup
        "3": bye
        "4": account
        "5": operator
  pin:
    collect:
      prompt: enter_pin
      into: pin
      min: 4
      max: 4
      sensitive: true
    next: bye
  account:
    collect:
      prompt: enter_pin
      into: account
      min: 6
      max: 6
      sensitive: true
    next: lookup_account
  lookup_account:
    fetch:
      url: "{{ api }}/accounts/{{ account }}"
      timeout: 500ms
    next: bye
  lookup:
    fetch:
      url: "{{ api }}/accounts"
      timeout: 500ms
    next: bye
  operator:
    transfer:
      prompt: goodbye
      dtmf: "*21234#"
      settle: 50ms
  sorry:
    end: { prompt: sorry, reason: error }
  bye:
    end: { prompt: goodbye }
`;

export const OPS_PROMPTS: Record<string, number> = { welcome: 200, main_menu: 240, menu_v2: 130, enter_pin: 180, sorry: 70, goodbye: 60 };

export interface OpsServing {
  server: IvrServer;
  ops: Operations;
  port: number;
  base: string;
  /** Every log line, parsed. */
  logs: Record<string, unknown>[];
  logText(): string;
  recordsFile: string;
  call(flowId: string, options?: Partial<PlivoClientOptions>): Promise<PlivoClient>;
  close(): Promise<void>;
}

/** Prompt index over every flow version seen so far (calls may play old and new versions). */
function indexOf(versions: ServingFlows[], format: MediaFormat): Map<string, string> {
  const index = new Map<string, string>();
  for (const serving of versions) {
    const more = promptIndex(serving.prompts, [...serving.flows.values()].map((f) => ({ id: f.id, doc: f.flow.doc })), format);
    for (const [k, v] of more) if (!index.has(k)) index.set(k, v);
  }
  return index;
}

export async function opsServe(fixture: Fixture, config: Partial<OperationsConfig> = {}): Promise<OpsServing> {
  const loaded = await loadServingFlows([fixture.dir]);
  if (!loaded.value) throw new Error(`flows do not load: ${loaded.diagnostics.map((d) => d.message).join('\n')}`);
  const logs: Record<string, unknown>[] = [];
  const lines: string[] = [];
  const log = createLogger({
    level: 'info',
    destination: {
      write(line: string) {
        lines.push(line);
        logs.push(JSON.parse(line) as Record<string, unknown>);
      },
    },
  });
  const recordsFile = join(fixture.dir, 'calls.jsonl');
  const ops = await setUpOperations(loaded.value, { paths: [fixture.dir], records: recordsFile, log, reloadDebounceMs: 50, ...config });
  const server = createServer({ port: 0, host: '127.0.0.1', log, ...(config.publicUrl ? { publicUrl: config.publicUrl } : {}), ...ops.serverOptions });
  ops.attach(server);
  const { port } = await server.listen();
  await ops.watch();
  const seen: ServingFlows[] = [loaded.value];
  return {
    server,
    ops,
    port,
    base: `http://127.0.0.1:${port}`,
    logs,
    logText: () => lines.join(''),
    recordsFile,
    call(flowId, o = {}) {
      const current = ops.reloader.current();
      if (!seen.includes(current)) seen.push(current);
      const format = o.format ?? 'audio/x-mulaw;rate=8000';
      return PlivoClient.connect({ url: `ws://127.0.0.1:${port}/stream/${flowId}`, prompts: indexOf(seen, format), ...o, format });
    },
    async close() {
      ops.reloader.close();
      await server.close();
      await ops.records.close();
    },
  };
}

/** What `serveOpsFlowPerSuite` serves: the fixture folder, the serving stack, and every report printed. */
export interface OpsSuite {
  fixture: Fixture;
  s: OpsServing;
  reports: string[];
}

/**
 * Serves OPS_FLOW from a fresh fixture for the enclosing `describe` (before/after hooks), keeping
 * every reload report the stack prints. Fields are set once the `before` hook has run.
 */
export function serveOpsFlowPerSuite(): OpsSuite {
  const suite = { reports: [] as string[] } as OpsSuite;
  before(async () => {
    suite.fixture = await writeFixture({ 'ops.yaml': OPS_FLOW }, OPS_PROMPTS);
    suite.s = await opsServe(suite.fixture, { report: (text) => suite.reports.push(text) });
  });
  after(async () => {
    await suite.s.close();
    await suite.fixture.cleanup();
  });
  return suite;
}
