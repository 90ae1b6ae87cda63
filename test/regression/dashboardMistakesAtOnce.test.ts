// Bug: `npm run dashboard` reported only the first command-line mistake (`--port 99999 --hots x`
// printed only "unknown flag --hots"; `--port abc --data` only "--data: expected a value"),
// because it parsed its flags without a FlagProblems and checked the port and host only after.
// And the API's paged endpoints named only the first bad parameter
// (`/api/runs/<run>/edges?from=-5&count=abc` named `from` alone). Both now list every mistake:
// the command line in one error (as replay, import and record do), the API in one 400 answer.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseDashboardArgs } from '../../src/cli/dashboardFlags.ts';
import { UserError } from '../../src/errors.ts';
import { copyFixtureRuns, get, servedDashboard } from '../dashboard/helpers.ts';

async function mistake(argv: string[]): Promise<string> {
  try {
    await parseDashboardArgs(argv);
  } catch (e) {
    assert.ok(e instanceof UserError, String(e));
    return e.message;
  }
  return assert.fail('expected a UserError');
}

describe('dashboard mistakes, all at once', () => {
  it('the command line: an unknown flag, a flag without its value and a bad port together', async () => {
    assert.equal(
      await mistake(['--port', '99999', '--hots', 'x']),
      '2 problems with the command line:\n  unknown flag --hots (did you mean --host?) (see --help)\n  --port: expected a port number from 0 to 65535 (got "99999")',
    );
    assert.equal(await mistake(['--port', 'abc', '--data']), '2 problems with the command line:\n  --data: expected a value (see --help)\n  --port: expected a port number from 0 to 65535 (got "abc")');
    assert.equal(await mistake(['--host', '', '--port', '-1']), '2 problems with the command line:\n  --host: expected an interface address such as 127.0.0.1 or 0.0.0.0 (got "")\n  --port: expected a port number from 0 to 65535 (got "-1")');
    assert.deepEqual(await parseDashboardArgs(['--port', '0', '--data', 'runs']), { dataDir: 'runs', host: '127.0.0.1', port: 0 });
    assert.deepEqual(await parseDashboardArgs(['--hots', 'x', '--help']), { help: true });
  });

  describe('the API', () => {
    const served = servedDashboard('munnin-dashboard-mistakes-', copyFixtureRuns);

    it('names every bad paging parameter in the one 400 answer', async () => {
      const edges = await get(`${served.base}/api/runs/cybermonday/edges?from=-5&count=abc`);
      assert.equal(edges.status, 400);
      assert.equal(edges.json.error, `from: expected a whole number from 0 to ${Number.MAX_SAFE_INTEGER} (got "-5"); count: expected a whole number from 1 to 1000 (got "abc")`);
      const snapshots = await get(`${served.base}/api/runs/cybermonday/snapshots?from=x&count=0`);
      assert.equal(snapshots.status, 400);
      assert.match(snapshots.json.error, /^from: .*\(got "x"\); count: expected a whole number from 1 to \d+ \(got "0"\)$/);
      const live = await get(`${served.base}/api/live?from=1.5&count=-1`);
      assert.equal(live.status, 400);
      assert.match(live.json.error, /^from: .*\(got "1\.5"\); count: .*\(got "-1"\)$/);
    });
  });
});
