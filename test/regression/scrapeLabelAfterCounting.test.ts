import { it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createScrapeSource } from '../../src/telemetry/index.ts';

// Bug: direct-scrape reads were labelled with the time they were requested, but sidecars answer
// a few milliseconds later. Bytes of an exfiltration starting in between were counted in the
// interval ending at the label, i.e. *before* the exfiltration's own start: an interval the
// evaluation cannot credit to the attack. A read must be labelled no earlier than the moment
// the sidecar counted what it reports.
it('labels a direct scrape no earlier than the moment the sidecar counted its bytes', async () => {
  let counted = 0;
  let countedAt = Number.NaN;
  const server = createServer((_req, res) => {
    // Traffic arriving between the request and the answer, e.g. an exfiltration that began
    // on the same timer tick as the poll.
    countedAt = performance.now();
    counted += 250_000;
    setTimeout(() => {
      res.setHeader('content-type', 'text/plain');
      res.end(
        '# TYPE istio_request_bytes histogram\n' +
          `istio_request_bytes_sum{reporter="source",source_workload="user",destination_service_name="PassthroughCluster"} ${counted}\n` +
          `istio_request_bytes_count{reporter="source",source_workload="user",destination_service_name="PassthroughCluster"} 1\n`,
      );
    }, 20);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/stats/prometheus`;
    const source = createScrapeSource({ targets: [{ workload: 'user', url }] });
    const requestedT = 1_000;
    const asked = performance.now();
    const read = await source.read(requestedT);
    assert.equal(read.kind, 'read');
    const countedT = requestedT + (countedAt - asked) / 1000;
    assert.ok(read.t >= countedT, `read labelled ${read.t}, bytes counted at ${countedT}`);
    await source.close();
  } finally {
    server.close();
  }
});
