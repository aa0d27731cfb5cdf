import assert from 'node:assert/strict';
import { test } from 'node:test';
import { nothingJudged } from '../../src/cli/check.js';
import type { CheckReport, HostReport } from '../../src/versions/check-report.js';

const host = (name: string, verdict: HostReport['verdict'], reason: string): HostReport =>
  ({ name, image: 'r/tarscloud/framework', running: 'v3.0.14', digest: null, newest: null, verdict, reason });
const report = (hosts: HostReport[], tags = 5): CheckReport => ({
  updateAvailable: false,
  images: [{ image: 'r/tarscloud/framework', newest: null, digest: null, tags, versionTags: tags, moving: [] }],
  hosts,
});

test('"up to date" needs at least one host compared; otherwise the reason names the flag, the image or the hosts', () => {
  assert.equal(nothingJudged(report([host('h1', 'up-to-date', ''), host('h2', 'unknown', 'x')]), {}), undefined);
  assert.equal(nothingJudged(report([]), {}), undefined);
  assert.equal(nothingJudged(report([host('h1', 'unknown', 'x')]), { exclude: '.*' }), "--exclude '.*' leaves none of the 5 tags of r/tarscloud/framework");
  assert.equal(nothingJudged(report([host('h1', 'unknown', 'x')], 0), {}), 'the registry lists no tags for r/tarscloud/framework');
  const other = report([host('h1', 'unknown', 'image a is not one of the checked images'), host('h2', 'unknown', 'image a is not one of the checked images')]);
  other.images[0]!.newest = 'v3.0.16';
  assert.equal(nothingJudged(other, {}), 'h1: image a is not one of the checked images; h2: image a is not one of the checked images');
  // tars-node has no version tags: its repository is judged by digest, so the policy is not what left a host unjudged
  const moving = report([host('h1', 'unknown', 'image a is not one of the checked images')]);
  moving.images[0]!.versionTags = 0;
  assert.equal(nothingJudged(moving, { exclude: '.*' }), 'h1: image a is not one of the checked images');
});
