// Waiting on what a container says instead of on the clock.
import { PassThrough } from 'node:stream';
import type Docker from 'dockerode';

/**
 * Resolves with the first line of the container's log (from its start, so lines already written count) that
 * matches `pattern`. The timeout is only a safety net for a container that never says it; it fails the test
 * with everything the container did say.
 */
export async function waitForLogLine(docker: Docker, id: string, pattern: RegExp, timeoutMs = 60_000): Promise<string> {
  const stream = (await docker.getContainer(id).logs({ follow: true, stdout: true, stderr: true })) as NodeJS.ReadableStream & { destroy(): void };
  const text = new PassThrough();
  docker.modem.demuxStream(stream, text, text);
  let seen = '';
  try {
    return await new Promise<string>((ok, fail) => {
      const timer = setTimeout(() => fail(new Error(`container ${id.slice(0, 12)} never logged ${pattern}; it logged:\n${seen}`)), timeoutMs);
      const done = (line: string) => {
        clearTimeout(timer);
        ok(line);
      };
      text.on('data', (chunk: Buffer) => {
        seen += chunk.toString('utf8');
        const line = seen.split('\n').find((l) => pattern.test(l));
        if (line !== undefined) done(line);
      });
      stream.on('end', () => {
        clearTimeout(timer);
        fail(new Error(`container ${id.slice(0, 12)} stopped without logging ${pattern}; it logged:\n${seen}`));
      });
    });
  } finally {
    stream.destroy();
  }
}
