/** What a secret is replaced with in logs, summaries and call records. */
export const MASK = '***';

/**
 * `text` with every value of `env` (the server's allow-listed secrets, as rendered into a URL:
 * raw or URL-encoded) replaced by `***`, longest first so a value containing another is masked
 * whole. Used for every URL a call logs.
 *
 * @example
 *   maskSecrets('https://api/x?key=s3cr3t', { API_KEY: 's3cr3t' }) // 'https://api/x?key=***'
 */
export function maskSecrets(text: string, env: Record<string, string> | undefined): string {
  if (!env) return text;
  const secrets = new Set<string>();
  for (const value of Object.values(env)) {
    if (typeof value !== 'string' || value === '') continue;
    secrets.add(value);
    secrets.add(encodeURIComponent(value));
  }
  let out = text;
  for (const secret of [...secrets].sort((a, b) => b.length - a.length)) out = out.split(secret).join(MASK);
  return out;
}
