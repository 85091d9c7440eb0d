/**
 * Plivo's `extraHeaders`: `key=value` pairs set in the `<Stream>` XML and echoed in every frame's
 * `extra_headers` (plivo-protocol.md). Every form seen in Plivo's pages, SDKs and integrations is
 * accepted: `a=1;b=2` and `a=1,b=2` (both separators appear in Plivo's examples), an object
 * `{ a: "1" }` (as some SDKs forward it), JSON text `'{"a":"1"}'`, and braced text
 * `{a: 1, b: 2}` or `{a=1, b=2}` (a map printed by a transport). Values are strings or numbers;
 * anything else is left out.
 *
 *   parseExtraHeaders('flow=support;lang=en')          // { flow: 'support', lang: 'en' }
 *   parseExtraHeaders('{"flow":"support","lang":"en"}') // the same
 *   parseExtraHeaders('{flow: support, lang: en}')      // the same
 */
export function parseExtraHeaders(raw: unknown): Record<string, string> {
  const headers: Record<string, string> = {};
  let count = 0;
  const add = (key: string, value: string): void => {
    if (key === '' || key === '__proto__' || count >= EXTRA_HEADERS_MAX.pairs) return;
    headers[key.slice(0, EXTRA_HEADERS_MAX.keyLength)] = value.slice(0, EXTRA_HEADERS_MAX.valueLength);
    count++;
  };
  const addEntries = (object: Record<string, unknown>): void => {
    // for-in, not Object.entries: a frame with thousands of keys is read only up to `pairs`.
    for (const key in object) {
      if (count >= EXTRA_HEADERS_MAX.pairs) return;
      const value = object[key];
      if (Object.hasOwn(object, key) && (typeof value === 'string' || typeof value === 'number')) add(key, String(value));
    }
  };
  if (typeof raw === 'string') {
    const text = raw.trim();
    if (!text.startsWith('{')) {
      addPairs(text, /=/, add);
    } else {
      const json = jsonObject(text);
      if (json) addEntries(json);
      else addPairs(text.slice(1, text.endsWith('}') ? -1 : undefined), /[=:]/, add);
    }
  } else if (isPlainObject(raw)) {
    addEntries(raw);
  }
  return headers;
}

/**
 * What a call keeps of its `extra_headers` (held for the whole call and written to its record):
 * Plivo allows 512 bytes of letters and digits in all; further pairs are dropped, longer keys
 * and values cut. Text longer than `jsonLength` that looks like JSON is not parsed as JSON (it
 * is read as braced pairs, which stop at `pairs`).
 */
export const EXTRA_HEADERS_MAX = { pairs: 32, keyLength: 64, valueLength: 512, jsonLength: 16 * 1024 } as const;

/** The inverse, for the `<Stream extraHeaders="...">` attribute and test clients. */
export function formatExtraHeaders(headers: Record<string, string>): string {
  return Object.entries(headers).map(([k, v]) => `${k}=${v}`).join(',');
}

/** `k<sep>v` pairs split on `;` or `,`; keys and values trimmed and unquoted. Reads at most a few times `pairs` pieces. */
function addPairs(text: string, separator: RegExp, add: (key: string, value: string) => void): void {
  for (const pair of text.split(/[;,]/, EXTRA_HEADERS_MAX.pairs * 4)) {
    const at = pair.search(separator);
    if (at > 0) add(unquote(pair.slice(0, at)), unquote(pair.slice(at + 1)));
  }
}

function unquote(text: string): string {
  const t = text.trim();
  return t.length >= 2 && (t[0] === '"' || t[0] === "'") && t.at(-1) === t[0] ? t.slice(1, -1) : t;
}

/** The JSON object `text` holds, if it is one and not over the length bound. */
function jsonObject(text: string): Record<string, unknown> | undefined {
  if (text.length > EXTRA_HEADERS_MAX.jsonLength || !text.endsWith('}')) return undefined;
  try {
    const value: unknown = JSON.parse(text);
    return isPlainObject(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
