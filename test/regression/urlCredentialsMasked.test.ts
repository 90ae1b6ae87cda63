import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseImportArgs } from '../../src/cli/importFlags.ts';
import { resolveParameters } from '../../src/config/index.ts';
import { parsePrometheusUrl } from '../../src/telemetry/index.ts';
import { urlForMessage } from '../../src/urlForMessage.ts';

// Bug: a Prometheus URL holding credentials was echoed whole to stderr whenever it was refused
// for another reason: a password with `/`, `#`, `?` or `@` makes the URL unparsable, and the
// parameters check ("Invalid URL (got "https://alice:Tr0ub4dor/3@...")"), the import's --url
// check and parsePrometheusUrl repeated it; a token in the query string was repeated by the
// "must be a base URL without query" message. Now every message shows the URL through one
// function that masks its user information and its query and fragment values as ***.

const SECRETS = ['alice', 'Tr0ub4dor', 's3cr3tTOK'];
const UNPARSABLE = 'https://alice:Tr0ub4dor/3@prom.example.org';
const TOKEN_IN_QUERY = 'http://127.0.0.1:19190/?access_token=s3cr3tTOK';

function messageOf(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
  assert.fail('expected an error');
}

function assertNoSecret(message: string): void {
  for (const secret of SECRETS) assert.ok(!message.includes(secret), `"${secret}" shown in: ${message}`);
}

describe('URLs in messages never show credentials', () => {
  it('masks user information, query and fragment values, parsable or not', () => {
    assert.equal(urlForMessage(UNPARSABLE), 'https://***@prom.example.org');
    assert.equal(urlForMessage(TOKEN_IN_QUERY), 'http://127.0.0.1:19190/?access_token=***');
    assert.equal(urlForMessage('https://u:p@host:9090/prom?a=1&b&c=2#frag'), 'https://***@host:9090/prom?a=***&***&c=***#***');
    assert.equal(urlForMessage('u:p@a@host'), '***@host');
    assert.equal(urlForMessage('http://127.0.0.1:9090/api'), 'http://127.0.0.1:9090/api');
    assert.equal(urlForMessage('127.0.0.1:19190'), '127.0.0.1:19190');
  });

  it('the parameters check of telemetry.prometheus.url', () => {
    const message = messageOf(() => resolveParameters({ telemetry: { prometheus: { url: UNPARSABLE } } } as never));
    assert.match(message, /telemetry\.prometheus\.url: .*"https:\/\/\*\*\*@prom\.example\.org"/);
    assertNoSecret(message);
  });

  it("the import's --url check", () => {
    const message = messageOf(() => parseImportArgs(['prometheus', '--url', UNPARSABLE, '--start', '1000', '--end', '2000', '--step', '15s'], 3000));
    assert.match(message, /--url: expected a URL .*"https:\/\/\*\*\*@prom\.example\.org"/);
    assertNoSecret(message);
  });

  it('parsePrometheusUrl: not a URL, and a query string', () => {
    const unparsable = messageOf(() => parsePrometheusUrl(UNPARSABLE));
    assert.match(unparsable, /is not a URL: "https:\/\/\*\*\*@prom\.example\.org"/);
    assertNoSecret(unparsable);
    const query = messageOf(() => parsePrometheusUrl(TOKEN_IN_QUERY));
    assert.match(query, /without query or fragment: "http:\/\/127\.0\.0\.1:19190\/\?access_token=\*\*\*"/);
    assertNoSecret(query);
  });
});
