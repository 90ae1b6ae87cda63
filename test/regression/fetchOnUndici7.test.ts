import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { promisify } from 'node:util';

const run = promisify(execFile);
const module = fileURLToPath(new URL('../../src/cli/currentUndici.ts', import.meta.url));

// In a fresh process: the test runner's shared processes set undici 7's dispatcher up front.
// The child first fetches through Node's own fetch (which installs Node 20's undici 6 Agent as
// the global dispatcher), then loads undici 7 and calls useCurrentUndici, then fetches from a local server.
const child = `
import { createServer } from 'node:http';
const key = Symbol.for('undici.globalDispatcher.1');
const server = createServer((_, res) => res.end('served')).listen(0, '127.0.0.1');
await new Promise((resolve) => server.once('listening', resolve));
const origin = 'http://127.0.0.1:' + server.address().port;
await (await fetch(origin)).text();
const before = globalThis[key];
// Imported only now: undici 7 installs its own Agent when it is loaded before any fetch.
const { Agent } = await import('undici');
const { useCurrentUndici } = await import(${JSON.stringify(module)});
await useCurrentUndici();
const after = globalThis[key];
const body = await (await fetch(origin)).text();
// An undici 7 Agent keeps a pool per origin it dispatched to.
const out = { nodesOwn: !(before instanceof Agent), replaced: after !== before, undici7: after instanceof Agent, body, pooled: Object.keys(after.stats ?? {}) };
await useCurrentUndici();
out.keptOnSecondCall = globalThis[key] === after;
server.close();
await after.close();
process.stdout.write(JSON.stringify(out) + '\\n');
`;

describe('useCurrentUndici', () => {
  it("moves Node 20's fetch onto undici 7's Agent, and keeps it when called again", async () => {
    const { stdout } = await run(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', child], { cwd: fileURLToPath(new URL('../..', import.meta.url)) });
    const out = JSON.parse(stdout) as Record<string, unknown>;
    assert.equal(process.versions.node.split('.')[0], '20', 'the mend is for Node 20 (its undici 6)');
    assert.equal(out.nodesOwn, true, "before the call the dispatcher is Node's own undici");
    assert.equal(out.replaced, true);
    assert.equal(out.undici7, true);
    assert.equal(out.body, 'served');
    assert.deepEqual(out.pooled, [`http://127.0.0.1:${/"http:\/\/127\.0\.0\.1:(\d+)"/.exec(stdout)![1]}`]);
    assert.equal(out.keptOnSecondCall, true);
  });
});
