/**
 * A loopback backend that fails on purpose, by path: `/hang` never answers, `/reset` destroys the
 * socket, `/500` answers 500, `/malformed` answers broken JSON, `/stall-body` sends headers then
 * never finishes the body, `/truncated` promises more body than it sends and cuts the socket,
 * `/endless` streams a body that never ends (64 kB every 5 ms),
 * `/hostile` answers strings made to break URLs, tones and log lines; anything else answers
 * `{"n":1,"zero":0}`. Only the first path segment counts (`/500/123` is `/500`). Records every
 * request: its first segment, full URL, headers and arrival time.
 */
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';

/** What `/hostile` answers: a path traversal with query and fragment, tones with junk, a forged log line. */
export const HOSTILE = { name: '../admin?x=1&y=2#frag %2F', tones: '1w2;p,3*#abcd\u0000E', line: 'x\n{"level":50,"msg":"forged"}\r\n' };

export interface FaultApi {
  url: string;
  /** Every request in order: first path segment, URL as sent, headers, arrival (performance.now()). */
  requests: { path: string; url: string; headers: IncomingHttpHeaders; at: number }[];
  close(): Promise<void>;
}

export const FAULT_PATHS = ['hang', 'reset', '500', 'malformed', 'stall-body', 'truncated', 'endless'] as const;

export async function faultApi(): Promise<FaultApi> {
  const requests: FaultApi['requests'] = [];
  const open = new Set<ServerResponse>();
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split(/[/?]/)[1] ?? '';
    requests.push({ path, url: req.url ?? '/', headers: req.headers, at: performance.now() });
    open.add(res);
    res.on('close', () => open.delete(res));
    switch (path) {
      case 'hang':
        return;
      case 'reset':
        req.socket.destroy();
        return;
      case '500':
        res.writeHead(500, { 'content-type': 'application/json' }).end('{"error":"boom"}');
        return;
      case 'malformed':
        res.writeHead(200, { 'content-type': 'application/json' }).end('{"n": 1,');
        return;
      case 'stall-body':
        res.writeHead(200, { 'content-type': 'application/json' });
        res.write('{"n":');
        return;
      case 'truncated':
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': '100' });
        res.write('{"n":1', () => req.socket.destroy());
        return;
      case 'endless': {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.write('{"n":"');
        const chunk = 'x'.repeat(64 * 1024);
        const timer = setInterval(() => res.write(chunk), 5);
        res.on('close', () => clearInterval(timer));
        return;
      }
      case 'hostile':
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(HOSTILE));
        return;
      default:
        res.writeHead(200, { 'content-type': 'application/json' }).end('{"n":1,"zero":0}');
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise((resolve) => {
        for (const res of open) res.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * A line whose menu sends each key to one fault: 1-6 and 0 fetch the failing paths above, 7 fetches
 * `/ok` (the control), 8 reads a key the answer does not have, 9 divides by zero. Every error
 * goes to `sorry` (reason `error`); the control ends `completed`.
 */
export function faultsFlow(api: string): string {
  const fetchNode = (path: string, set = '{ n: "response.body.n" }'): string => `
    fetch:
      url: "{{ api }}/${path}"
      timeout: 400ms
      set: ${set}
    next: done
    onError: sorry`;
  return `ivr: 1
id: faults
settings:
  timeout: 10s
vars:
  api: "${api}"
  n: 0
  zero: 0
onError: sorry
start: pick
nodes:
  pick:
    menu:
      prompt: welcome
      options:
        "1": f_hang
        "2": f_reset
        "3": f_500
        "4": f_malformed
        "5": f_stall_body
        "6": f_truncated
        "7": f_ok
        "8": f_missing_key
        "9": divide
        "0": f_endless
  f_hang:${fetchNode('hang')}
  f_reset:${fetchNode('reset')}
  f_500:${fetchNode('500')}
  f_malformed:${fetchNode('malformed')}
  f_stall_body:${fetchNode('stall-body')}
  f_truncated:${fetchNode('truncated')}
  f_endless:${fetchNode('endless')}
  f_ok:${fetchNode('ok', '{ n: "response.body.n", zero: "response.body.zero" }')}
  f_missing_key:${fetchNode('ok', '{ n: "response.body.account.balance" }')}
  divide:
    set: { n: "10 / zero" }
    next: done
  done:
    end: { prompt: tone_one, reason: completed }
  sorry:
    end: { prompt: tone_two, reason: error }
`;
}

/** The key of the faults menu for each failing fetch path. */
export const FAULT_KEYS: Record<(typeof FAULT_PATHS)[number], string> = { hang: '1', reset: '2', '500': '3', malformed: '4', 'stall-body': '5', truncated: '6', endless: '0' };
