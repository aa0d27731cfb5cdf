/** `GET http://ADDR:3000/web_version` of a master; undefined when it does not answer within the timeout. */
export async function fetchWebVersion(
  address: string,
  timeoutMs = 3_000,
): Promise<{ webVersion?: string; frameworkVersion?: string } | undefined> {
  try {
    const res = await fetch(`http://${address}:3000/web_version`, { signal: AbortSignal.timeout(timeoutMs) });
    if (!res.ok) return undefined;
    return (await res.json()) as { webVersion?: string; frameworkVersion?: string };
  } catch {
    return undefined;
  }
}
