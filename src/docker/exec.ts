import type Docker from 'dockerode';
import { withTimeout } from '../timeout.js';

/** Runs a command in a running container and returns its stdout, or undefined when it fails or does not exist there. */
export async function execOutput(docker: Docker, id: string, cmd: string[], timeoutMs = 10_000): Promise<string | undefined> {
  try {
    const exec = await docker.getContainer(id).exec({ Cmd: cmd, AttachStdout: true, AttachStderr: true });
    const stream = await exec.start({ hijack: true, stdin: false });
    const chunks: Buffer[] = [];
    await withTimeout(
      new Promise<void>((ok, fail) => {
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => ok());
        stream.on('error', fail);
      }),
      timeoutMs,
      `exec ${cmd[0]} took longer than ${timeoutMs / 1000}s`,
    );
    const info = await exec.inspect();
    return info.ExitCode === 0 ? stdoutOf(Buffer.concat(chunks)) : undefined;
  } catch {
    return undefined;
  }
}

/** The stdout frames (type 1) of a multiplexed exec stream. */
function stdoutOf(buf: Buffer): string {
  const parts: Buffer[] = [];
  for (let i = 0; i + 8 <= buf.length; ) {
    const size = buf.readUInt32BE(i + 4);
    if (buf[i] === 1) parts.push(buf.subarray(i + 8, i + 8 + size));
    i += 8 + size;
  }
  return Buffer.concat(parts).toString('utf8');
}
