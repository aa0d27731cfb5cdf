// How the tool spells a registry's locator when it looks for its row, and what of a container's log a failed
// health gate quotes.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { registryLocators } from '../../src/cluster/heartbeats.js';
import { lastLogLine } from '../../src/cluster/wait-healthy.js';
import { registerSecret } from '../../src/redact.js';

it('an IPv4 registry has one locator; an IPv6 one is looked up bracketed and bare', () => {
  assert.deepEqual(registryLocators('10.0.0.2'), ['10.0.0.2:17890']);
  assert.deepEqual(registryLocators('fd00::1'), ['[fd00::1]:17890', 'fd00::1:17890']);
  assert.deepEqual(registryLocators('[fd00::1]'), ['[fd00::1]:17890', 'fd00::1:17890']);
});

it("the gate quotes the log's last line without timestamp and level, secrets masked, cut to one short line", () => {
  registerSecret('s3cret-pass');
  const line = '2026-12-01T10:00:00.000Z ERROR tars-framework slave: check mysql is not alive (ER_ACCESS_DENIED_ERROR, attempt 3): waiting for MySQL 10.0.0.1:3306, try again';
  assert.equal(lastLogLine(['older line', line]), 'tars-framework slave: check mysql is not alive (ER_ACCESS_DENIED_ERROR, attempt 3): waiting for MySQL 10.0.0.1:3306, try again');
  assert.equal(lastLogLine(['--pass=s3cret-pass']), '--pass=[REDACTED]');
  assert.equal(lastLogLine(['x'.repeat(500)]).length, 200);
});
