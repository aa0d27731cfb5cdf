/**
 * Every secret the process learns (MySQL password, registry credentials) is registered here, and every line
 * that leaves the process passes through `redact`, so a secret inside a driver's error message is masked too.
 */
const secrets = new Set<string>();

export function registerSecret(value: string | undefined): void {
  if (value && value.length >= 3) secrets.add(value);
}

export function redact(text: string): string {
  let out = text;
  for (const secret of secrets) out = out.split(secret).join('[REDACTED]');
  return out;
}
