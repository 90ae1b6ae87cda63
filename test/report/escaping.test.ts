import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { escapeHtml, html, writeReport, type WrittenReport } from '../../src/report/index.ts';
import { writeFakeReplay, type FakeSnapshot } from './fakeReplay.ts';
import { assertDrawnPng } from './pngCheck.ts';
import { tempDir, writeRun } from './runFixture.ts';

// Workload names come from telemetry labels, which whoever controls a workload controls.
const SCRIPT = '<script>alert("pwned")</script>';
const IMG = '"><img src=x onerror=alert(1)>';
const QUOTE = "db' onmouseover='alert(2)";
const STYLE_BREAK = '</style><script>alert(3)</script>';
const HOSTILE = [SCRIPT, IMG, QUOTE, STYLE_BREAK];

// The only markup the report writes.
const TAGS = new Set(['html', 'head', 'meta', 'title', 'style', 'body', 'h1', 'h2', 'h3', 'p', 'nav', 'a', 'table', 'thead', 'tbody', 'tr', 'th', 'td', 'span', 'figure', 'img', 'figcaption', 'pre', 'ul', 'li']);
const ATTRIBUTES = new Set(['lang', 'charset', 'http-equiv', 'content', 'name', 'href', 'id', 'class', 'scope', 'rowspan', 'colspan', 'title', 'style', 'src', 'width', 'height', 'alt']);

describe('report of a run whose service names hold HTML and script', () => {
  let dir: string;
  let report: WrittenReport;
  let page: string;

  before(async () => {
    dir = tempDir('escaping');
    const runDir = join(dir, 'run');
    const snapshots: FakeSnapshot[] = Array.from({ length: 40 }, (_, i) => ({
      t: 1000 + 2 * (i + 1),
      dt: 2,
      ...(i === 12 ? { gap: true } : {}),
      edges:
        i === 12
          ? []
          : [
              { src: 'front-end', dst: SCRIPT, request_bytes: 1000 + 37 * (i % 5), response_bytes: 20_000 + (i >= 30 && i < 33 ? 400_000 : 900 * (i % 7)) },
              { src: SCRIPT, dst: QUOTE, request_bytes: 500 + 11 * (i % 3), response_bytes: 8000 + 300 * (i % 4) },
              { src: IMG, dst: 'front-end', request_bytes: 700, response_bytes: 30_000 + 1000 * (i % 6) },
              { src: STYLE_BREAK, dst: IMG, request_bytes: 100 + i, response_bytes: 2000 },
            ],
    }));
    writeRun(runDir, { name: `run ${SCRIPT}`, intervalSeconds: 2, metrics: ['request_bytes', 'response_bytes'], services: ['front-end', SCRIPT, QUOTE, IMG, STYLE_BREAK], parameters: { note: IMG, nested: { deeper: SCRIPT } } }, snapshots, [
      { kind: 'exfiltration', start: 1061, end: 1066, bytes: 1_200_000, method: `api${IMG}`, path: [QUOTE, SCRIPT, 'front-end', IMG] },
      { kind: STYLE_BREAK, start: 1001, end: 1002 },
    ]);
    const replayDir = join(runDir, 'replay');
    writeFakeReplay(
      runDir,
      replayDir,
      [
        { name: `<b onclick="x()">det</b>`, threshold: 100_000, score: (s) => Number(s.edges[0]?.['response_bytes'] ?? 0) },
        { name: SCRIPT, threshold: 1e9, score: (s) => s.edges.length },
      ],
      5,
    );
    report = await writeReport({ runDir, replayDir, parameters: { detectors: { enabled: [SCRIPT] } }, progress: false });
    page = readFileSync(report.htmlPath, 'utf8');
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('writes only its own tags and attributes: no script, no event handler', () => {
    assert.doesNotMatch(page, /<script/i);
    assert.doesNotMatch(page, /<img src=x/i);
    for (const m of page.matchAll(/<(\/?)([a-zA-Z][a-zA-Z0-9]*)([^>]*)>/g)) {
      const [, , tag, attrs] = m;
      assert.ok(TAGS.has(tag!.toLowerCase()), `unexpected tag <${tag}>`);
      for (const a of attrs!.matchAll(/\s([^\s=]+)(?:="([^"]*)")?/g)) {
        assert.ok(ATTRIBUTES.has(a[1]!), `unexpected attribute ${a[1]} in <${tag}${attrs}>`);
      }
    }
    // Every image is one of ours, beside the page.
    for (const m of page.matchAll(/<img src="([^"]*)"/g)) assert.match(m[1]!, /^report\/[a-z0-9-]+\.png$/);
    // The style element holds our stylesheet only.
    assert.equal(page.match(/<\/style>/g)?.length, 1);
  });

  it('shows the names as text', () => {
    assert.ok(page.includes('&lt;script&gt;alert(&quot;pwned&quot;)&lt;/script&gt;'), 'service name');
    assert.ok(page.includes('&quot;&gt;&lt;img src=x onerror=alert(1)&gt;'), 'edge name');
    assert.ok(page.includes('db&#39; onmouseover=&#39;alert(2)'), 'quote name');
    assert.ok(page.includes('&lt;b onclick=&quot;x()&quot;&gt;det&lt;/b&gt;'), 'detector name');
    assert.ok(page.includes(`&lt;/style&gt;&lt;script&gt;alert(3)&lt;/script&gt;`), 'informational event kind / node name');
    // In attribute values too (alt text of the edge charts).
    assert.match(page, /alt="[^"]*&lt;script&gt;alert\(&quot;pwned&quot;\)&lt;\/script&gt;[^"]*"/);
  });

  it('still draws every chart, with file names that owe nothing to the names', async () => {
    const files = readdirSync(join(dir, 'run', 'replay', 'report'));
    assert.deepEqual(files.sort(), report.model.charts.map((c) => c.file).sort());
    for (const f of files) {
      assert.match(f, /^(score-\d+|edge-\d+|roc|traffic-matrix)\.png$/);
      await assertDrawnPng(join(dir, 'run', 'replay', 'report', f));
    }
    assert.ok(report.model.watched.some((w) => w.dst === SCRIPT));
    // Both detectors (names quoted in scores.csv) keep every scored interval: 40 minus 5 training minus 1 gap.
    assert.deepEqual(
      report.model.detectors.map((d) => [d.name, d.rows.length]),
      [
        [`<b onclick="x()">det</b>`, 34],
        [SCRIPT, 34],
      ],
    );
    for (const file of ['score-1.png', 'score-2.png']) {
      const c = report.model.charts.find((x) => x.file === file);
      assert.ok(c?.draw.kind === 'chart');
      assert.equal(c.draw.config.data.datasets.find((d) => d.label === 'score ÷ threshold')?.data.length, 34);
    }
    assert.doesNotMatch(page, /id="warnings"/);
  });
});

describe('html template', () => {
  it('escapes every interpolated value, in text and attributes, nested lists included', () => {
    const name = `<i>"x" & 'y'</i>`;
    assert.equal(html`<td title="${name}">${[name, html`<br>`]}</td>`.value, '<td title="&lt;i&gt;&quot;x&quot; &amp; &#39;y&#39;&lt;/i&gt;">&lt;i&gt;&quot;x&quot; &amp; &#39;y&#39;&lt;/i&gt;<br></td>');
    assert.equal(escapeHtml('a&b'), 'a&amp;b');
  });
});
