// Bug: NaN and Infinity were shown as "(got null)": `trainingSeconds: NaN` in parameters.ts gave
// "Invalid input: expected number, received NaN (got null)", and a snapshot line's
// `"requests":1e400` (read as Infinity) gave "edges[0].requests: expected a non-negative number
// (got null)", because the shared value formatters (config's `show`, store's `describeValue`)
// used JSON.stringify, which writes non-finite numbers as null. They now write NaN, Infinity
// and -Infinity as such, also inside objects and arrays.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { resolveParameters } from '../../src/config/index.ts';
import { show } from '../../src/config/schemaProblems.ts';
import { jsonForMessage } from '../../src/jsonForMessage.ts';
import { UserError } from '../../src/errors.ts';
import { describeValue } from '../../src/store/lineReporting.ts';
import { decodeSnapshot } from '../../src/store/snapshotCodec.ts';

describe('non-finite numbers in messages', () => {
  it('are written NaN, Infinity, -Infinity, alone or nested; other JSON is unchanged', () => {
    assert.equal(jsonForMessage(Number.NaN), 'NaN');
    assert.equal(jsonForMessage(Infinity), 'Infinity');
    assert.equal(jsonForMessage(-Infinity), '-Infinity');
    assert.equal(jsonForMessage({ a: [1, Number.NaN, -Infinity], b: 'NaN', c: null }), '{"a":[1,NaN,-Infinity],"b":"NaN","c":null}');
    assert.equal(show(Number.NaN), 'NaN');
    assert.equal(show(undefined), 'nothing');
    assert.equal(describeValue(Infinity), 'Infinity');
    assert.equal(describeValue(null), 'null');
  });

  it('a parameters file\'s trainingSeconds: NaN is shown as NaN', () => {
    assert.throws(
      () => resolveParameters({ detectors: { trainingSeconds: Number.NaN } }, 'p.ts'),
      (e: unknown) => e instanceof UserError && /detectors\.trainingSeconds: .*\(got NaN\)/.test(e.message) && !e.message.includes('got null'),
    );
  });

  it('a snapshot line\'s 1e400 (read as Infinity) is shown as Infinity', () => {
    const decoded = decodeSnapshot(JSON.parse('{"t":10,"dt":5,"edges":[{"src":"a","dst":"b","requests":1e400}]}'), ['requests']);
    assert.equal(decoded.ok, false);
    assert.equal((decoded as { problem: string }).problem, 'edges[0].requests: expected a non-negative number (got Infinity)');
  });
});
