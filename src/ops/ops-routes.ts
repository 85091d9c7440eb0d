/**
 * The operations routes, mounted through the server's `handleRequest` hook:
 * - `GET /metrics`: Prometheus text exposition;
 * - `GET /readyz`: 200 `{"status":"ready",...}` while new calls are welcome; 503 while draining
 *   or while the last reload was refused (the body then carries its diagnostics); 200
 *   `{"status":"degraded",...}` while call records cannot be written. Degraded stays 200 on
 *   purpose: calls are still answered well, and a full shared volume would otherwise take every
 *   replica out of service at once, with no call left to write the record that clears it.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RecordsHealth } from './call-records.js';
import type { IvrMetrics } from './metrics.js';
import type { ReloadStatus } from './reload.js';

export interface Readiness {
  draining(): boolean;
  flows?(): ReloadStatus;
  records?(): RecordsHealth;
}

export interface ReadyBody {
  status: 'ready' | 'draining' | 'reload-failed' | 'degraded';
  versions?: Record<string, string>;
  loadedAt?: number;
  failed?: ReloadStatus['failed'];
  /** While the latest call record could not be written: failures so far and the last error. */
  records?: { writeErrors: number; lastError: string };
}

export function readyState(readiness: Readiness): { code: 200 | 503; body: ReadyBody } {
  const flows = readiness.flows?.();
  const records = readiness.records?.();
  const base = {
    ...(flows ? { versions: flows.versions, loadedAt: flows.loadedAt } : {}),
    ...(records?.failing !== undefined ? { records: { writeErrors: records.writeErrors, lastError: records.failing } } : {}),
  };
  if (readiness.draining()) return { code: 503, body: { status: 'draining', ...base } };
  if (flows && !flows.ok) return { code: 503, body: { status: 'reload-failed', ...base, ...(flows.failed ? { failed: flows.failed } : {}) } };
  if (base.records) return { code: 200, body: { status: 'degraded', ...base } };
  return { code: 200, body: { status: 'ready', ...base } };
}

export function opsRoutes(deps: { metrics?: IvrMetrics; readiness: Readiness }): (req: IncomingMessage, res: ServerResponse) => boolean {
  return (req, res) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return false;
    const path = (req.url ?? '/').split('?')[0];
    if (path === '/readyz') {
      const { code, body } = readyState(deps.readiness);
      res.writeHead(code, { 'content-type': 'application/json' }).end(JSON.stringify(body));
      return true;
    }
    if (path === '/metrics' && deps.metrics) {
      deps.metrics.scrape().then(
        ({ contentType, body }) => res.writeHead(200, { 'content-type': contentType }).end(body),
        (err: unknown) => res.writeHead(500, { 'content-type': 'text/plain' }).end(`metrics failed: ${String(err)}\n`),
      );
      return true;
    }
    return false;
  };
}
