import { ExitCode, TarsDockerError } from '../errors.js';
import { redact } from '../redact.js';
import { location } from './format.js';
import type { GuardReport } from './types.js';
import { plural } from './values.js';

/** Exit 3: a blocking finding stopped a command before it touched any host. */
export class GuardError extends TarsDockerError {
  constructor(
    message: string,
    readonly report: GuardReport,
    context: { file?: string; host?: string } = {},
  ) {
    super(message, ExitCode.guardBlocked, { ...context, step: 'guard' });
  }
}

/** For every command that creates or recreates a container: call before connecting to any host. */
export function assertGuardClean(report: GuardReport): void {
  const blocking = report.findings.filter((f) => f.severity === 'blocking');
  const first = blocking[0];
  if (!first) return;
  const more = blocking.length > 1 ? ` (+${plural(blocking.length - 1, 'more blocking finding')})` : '';
  const message = redact(`guard: ${location(first.source)}: ${first.message}${more}; see tars-docker guard`);
  const context = { ...(first.source.file ? { file: first.source.file } : {}), ...(first.source.host ? { host: first.source.host } : {}) };
  throw new GuardError(message, report, context);
}
