import type { Finding } from '../types.js';

/** A container made by the operator's compose file, with the image its service names in that file. */
export interface ComposePin {
  host: string;
  container: string;
  /** What the container runs now. */
  image: string;
  file: string;
  service: string;
  /** The service's `image:` as written; undefined when the file does not name one literally. */
  written?: string;
  line?: number;
}

/**
 * After tars-docker moved a compose-made container to another image, the operator's file still names the old one:
 * the next `docker-compose up` there would quietly bring the old version back.
 */
export function checkComposePins(pins: ComposePin[]): Finding[] {
  return pins
    .filter((p) => p.written !== undefined && !p.written.includes('${') && p.written !== p.image)
    .map((p) => ({
      id: 'compose-pins-old-image',
      severity: 'warning' as const,
      message: `service ${p.service} names ${p.written} while ${p.host}'s container ${p.container} runs ${p.image}: \`docker-compose up\` with this file would bring ${p.written} back`,
      source: { kind: 'compose' as const, file: p.file, ...(p.line ? { line: p.line } : {}), host: p.host, container: p.container },
      fix: `set image: ${p.image} for ${p.service} in ${p.file}`,
    }));
}
