// A node:test reporter that writes one JSON line of counts, read by run-tests.js. node's own summary leaves a
// skipped describe() out of its "skipped" count (its tests never start), so a skipped lab suite would vanish.

/** @param {AsyncIterable<{ type: string, data: any }>} source */
export default async function* countReporter(source) {
  const counts = { passed: 0, failed: 0, skipped: 0, todo: 0, skippedNames: [] };
  for await (const { type, data } of source) {
    if (type !== 'test:pass' && type !== 'test:fail') continue;
    const suite = data.details?.type === 'suite';
    if (isSet(data.skip)) {
      // A skipped suite is one entry: its tests are never reported.
      counts.skipped += 1;
      counts.skippedNames.push(`${data.file ?? '?'}: ${data.name}${typeof data.skip === 'string' && data.skip ? ` (${data.skip})` : ''}`);
    } else if (isSet(data.todo)) counts.todo += 1;
    // A suite's own outcome is that of its tests, already counted; a file that fails to load is no suite.
    else if (!suite) counts[type === 'test:pass' ? 'passed' : 'failed'] += 1;
  }
  yield `${JSON.stringify(counts)}\n`;
}

const isSet = (v) => v !== undefined && v !== false;
