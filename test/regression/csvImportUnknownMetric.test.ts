import { it } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { resolveParameters } from '../../src/config/index.ts';
import { importCsv, metricsNamedIn } from '../../src/import/index.ts';
import { captureLog, makeTempDir, readRunBack } from '../util.ts';

// Bug: a misspelt metric name in traffic.csv (respone_bytes, tcp_sent_byte) was imported
// without a word, and the byte detectors, watching response_bytes and tcp_sent_bytes, then
// missed everything. The run format allows extra keys, so it stays allowed; now each unknown
// name is warned about, with its first line and the closest known name when one is close.
it('each metric munnin does not know is warned about once, with the likely intended name', async () => {
  const tmp = makeTempDir();
  const log = captureLog();
  try {
    const file = join(tmp.dir, 'traffic.csv');
    writeFileSync(
      file,
      [
        't,src,dst,metric,value',
        '10,a,b,requests,1', // known: no warning
        '10,a,b,respone_bytes,100', // 1 edit from response_bytes
        '10,a,b,tcp_sent_byte,5', // 1 edit from tcp_sent_bytes
        '10,a,b,cpu_seconds,2', // close to nothing
        '10,a,b,queue_depth,3', // named by a detector's options: known
        '20,a,b,respone_bytes,50', // second row of a warned name: no second warning
        '',
      ].join('\n'),
    );
    const result = await importCsv({ trafficFile: file, intervalSeconds: 10, knownMetrics: ['queue_depth'], dir: join(tmp.dir, 'run'), name: 'run' });
    const warnings = log.messages.filter((m) => m.level === 'warn').map((m) => m.message);
    assert.deepEqual(warnings, [
      `${file}:3: respone_bytes: not a metric munnin knows (response_bytes?); detectors ignore it`,
      `${file}:4: tcp_sent_byte: not a metric munnin knows (tcp_sent_bytes?); detectors ignore it`,
      `${file}:5: cpu_seconds: not a metric munnin knows (known: requests, request_bytes, response_bytes, tcp_sent_bytes, tcp_received_bytes, tcp_connections); detectors ignore it`,
    ]);
    // Still imported as written: extra keys are allowed by the run format.
    const back = await readRunBack(result.dir);
    assert.deepEqual(back.manifest.metrics, ['requests', 'respone_bytes', 'tcp_sent_byte', 'cpu_seconds', 'queue_depth']);
  } finally {
    log.restore();
    tmp.remove();
  }
});

it('the metrics a parameters file has detectors watch count as known', () => {
  const params = resolveParameters({ detectors: { options: { ewma: { metrics: ['queue_depth', 'requests'] }, cusum: { k: 1 } } } } as never);
  assert.deepEqual(metricsNamedIn(params.detectors.options), ['queue_depth', 'requests']);
});
