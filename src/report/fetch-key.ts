import { keptName } from './definitions.js';

/**
 * The name a fetch is counted under: method and URL with the values a template put in replaced
 * by `{}`. Records keep the URL as sent (masked values as `***`), not the template, so the rule
 * is: a path segment holding a digit or a mask, and every query value, is a value. This also
 * keeps the number of names bounded: `GET /accounts/123` and `/accounts/456` are one fetch.
 *
 *   fetchKey('get', 'http://billing/accounts/123?full=1')   // 'GET http://billing/accounts/{}?full={}'
 */
export function fetchKey(method: string, url: string): string {
  const hash = url.indexOf('#');
  const bare = hash === -1 ? url : url.slice(0, hash);
  const q = bare.indexOf('?');
  const path = q === -1 ? bare : bare.slice(0, q);
  const query = q === -1 ? '' : bare.slice(q + 1);
  const scheme = /^[a-z][a-z0-9+.-]*:\/\/[^/]*/i.exec(path)?.[0] ?? '';
  const segments = path.slice(scheme.length).split('/').map((s) => (/[0-9*]|%[0-9a-f]{2}/i.test(s) || s.length > MAX_SEGMENT ? '{}' : s));
  const params = query === '' ? '' : `?${query.split('&').map((p) => `${p.split('=')[0]!.slice(0, MAX_SEGMENT)}={}`).join('&')}`;
  return keptName(`${method.toUpperCase().slice(0, 10)} ${scheme}${segments.join('/')}${params}`);
}

const MAX_SEGMENT = 40;
