/**
 * Plivo's `extraHeaders`: `key=value` pairs set in the `<Stream>` XML and echoed in every frame's
 * `extra_headers`. Plivo's own examples use both `,` and `;` as separators (plivo-protocol.md),
 * so both are accepted; an object (as some SDKs forward them) is accepted too.
 *
 *   parseExtraHeaders('flow=support;lang=en') // { flow: 'support', lang: 'en' }
 */
export function parseExtraHeaders(raw: unknown): Record<string, string> {
  const headers: Record<string, string> = {};
  if (typeof raw === 'string') {
    for (const pair of raw.split(/[;,]/)) {
      const eq = pair.indexOf('=');
      if (eq <= 0) continue;
      const key = pair.slice(0, eq).trim();
      if (key !== '' && key !== '__proto__') headers[key] = pair.slice(eq + 1).trim();
    }
  } else if (raw !== null && typeof raw === 'object' && !Array.isArray(raw)) {
    for (const [key, value] of Object.entries(raw)) {
      if (key !== '__proto__' && (typeof value === 'string' || typeof value === 'number')) headers[key] = String(value);
    }
  }
  return headers;
}

/** The inverse, for the `<Stream extraHeaders="...">` attribute and test clients. */
export function formatExtraHeaders(headers: Record<string, string>): string {
  return Object.entries(headers).map(([k, v]) => `${k}=${v}`).join(',');
}
