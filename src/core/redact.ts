// Secrets never appear in output, logs, errors or the database. Every secret loaded at run time is
// registered here, and every line that leaves the process through IO or a log passes redact().
// Known token shapes are masked too, in case a remote echoes one we never loaded.

const secrets = new Set<string>();

export function registerSecret(value: string | undefined | null): void {
  if (value && value.length >= 4) secrets.add(value);
}

const PATTERNS: RegExp[] = [
  /\b(Atz[ar]\|)[A-Za-z0-9\-_.|]+/g, // Amazon LWA access/refresh tokens
  /\b(shpat_|shpca_|shppa_|shpss_)[A-Za-z0-9]+/g, // Shopify tokens
  /\b(EZ[AT]K)[A-Za-z0-9]+/g, // EasyPost keys
  /\b(shippo_(?:test|live)_)[A-Za-z0-9]+/g, // Shippo keys
  /\b(v\^1\.1#)[A-Za-z0-9#^=+/._-]+/g, // eBay tokens
  /((?:authorization|x-amz-access-token|x-shopify-access-token)["']?\s*[:=]\s*["']?)(?:Bearer\s+|Basic\s+)?[^\s"',}]+/gi,
  /((?:client_secret|refresh_token|access_token|api_key|password)["']?\s*[:=]\s*["']?)[^\s"'&,}]+/gi,
];

export function redact(text: string): string {
  let out = text;
  for (const s of secrets) {
    if (out.includes(s)) out = out.split(s).join('***');
  }
  for (const p of PATTERNS) out = out.replace(p, (_m, prefix: string) => `${prefix}***`);
  return out;
}

/** Mask for display: keep a hint of which key it is, never the key ("sk_t…obar" style). */
export function mask(value: string): string {
  if (value.length <= 8) return '****';
  return `${value.slice(0, 4)}…${value.slice(-4)}`;
}

export function clearSecretsForTests(): void {
  secrets.clear();
}
