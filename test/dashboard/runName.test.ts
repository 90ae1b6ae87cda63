import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join, resolve } from 'node:path';
import { checkHost, checkPort, isLoopback, runDirectory, runNameProblem } from '../../src/dashboard/index.ts';

describe('run names', () => {
  it('accepts any directory name directly under the data folder, however odd', () => {
    for (const name of ['run1', 'cybermonday-i6-r0', 'with space', '<img src=x onerror=alert(1)>', 'ünïcode 🦊', 'a..b']) {
      assert.equal(runNameProblem(name), undefined, name);
      assert.equal(runDirectory('data', name), join(resolve('data'), name));
    }
  });

  it('refuses names that leave the folder, hide, or hold control characters, with a 400', () => {
    const cases: [string, RegExp][] = [
      ['../../etc', /cannot contain \//],
      ['..', /cannot start with a dot/],
      ['.', /cannot start with a dot/],
      ['.git', /cannot start with a dot/],
      ['a\\..\\b', /cannot contain \//],
      ['a\u0000b', /control characters/],
      ['', /empty/],
      ['x'.repeat(256), /longer than 255/],
    ];
    for (const [name, message] of cases) {
      assert.match(runNameProblem(name) ?? '', message, JSON.stringify(name));
      assert.throws(() => runDirectory('data', name), (e: any) => e.status === 400 && message.test(e.message));
    }
  });
});

describe('dashboard host and port', () => {
  it('knows loopback addresses', () => {
    for (const h of ['127.0.0.1', '127.1.2.3', 'localhost', '::1', '[::1]']) assert.equal(isLoopback(h), true, h);
    for (const h of ['0.0.0.0', '::', '192.168.1.4', 'example.org']) assert.equal(isLoopback(h), false, h);
  });

  it('checks ports and hosts with messages naming the value', () => {
    assert.equal(checkPort(undefined), 5001);
    assert.equal(checkPort('0'), 0);
    assert.equal(checkPort(' 8080 '), 8080);
    for (const bad of ['abc', '-1', '65536', '1.5', '']) assert.throws(() => checkPort(bad), (e: Error) => e.message === `port: expected a port number from 0 to 65535 (got ${JSON.stringify(bad)})`);
    assert.equal(checkHost(undefined), '127.0.0.1');
    assert.throws(() => checkHost(' '), /host: expected an interface address/);
  });
});
