/**
 * Plivo's `extraHeaders`: `key=value` pairs set in the `<Stream>` XML and echoed in every frame's
 * `extra_headers`. Plivo's own examples use both `,` and `;` as separators (plivo-protocol.md),
 * so both are accepted; an object (as some SDKs forward them) is accepted too.
 *
 *   parseExtraHeaders('flow=support;lang=en') // { flow: 'support', lang: 'en' }
 */
export function parseExtraHeaders(raw: unknown): Record<string, string> {
  const headers: Record<string, string> = {};
  let count = 0;
  const add = (key: string, value: string): void => {
    if (key === '' || key === '__proto__' || count >= EXTRA_HEADERS_MAX.pairs) return;
    headers[key.slice(0, EXTRA_HEADERS_MAX.keyLength)] = value.slice(0, EXTRA_HEADERS_MAX.valueLength);
    count++;
  };
  if (typeof raw === 'string') {
    for (const pair of raw.split(/[;,]/, EXTRA_HEADERS_MAX.pairs * 4)) {
      const eq = pair.indexOf('=');
      if (eq > 0) add(pair.slice(0, eq).trim(), pair.slice(eq + 1).trim());
    }
  } else if (raw !== null && typeof raw === 'object' && !Array.isArray(raw)) {
    for (const [key, value] of Object.entries(raw)) {
      if (typeof value === 'string' || typeof value === 'number') add(key, String(value));
    }
  }
  return headers;
}

/**
 * What a call keeps of its `extra_headers` (held for the whole call and written to its record):
 * Plivo allows 512 bytes of letters and digits in all; further pairs are dropped, longer keys
 * and values cut.
 */
export const EXTRA_HEADERS_MAX = { pairs: 32, keyLength: 64, valueLength: 512 } as const;

/** The inverse, for the `<Stream extraHeaders="...">` attribute and test clients. */
export function formatExtraHeaders(headers: Record<string, string>): string {
  return Object.entries(headers).map(([k, v]) => `${k}=${v}`).join(',');
}
