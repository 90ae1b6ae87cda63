import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ReplayProgress } from '../../src/replay/index.ts';
import { captureLog } from '../util.ts';

describe('ReplayProgress', () => {
  it('estimates the total from the share of the file read, at most once per period', () => {
    let now = 0;
    const progress = new ReplayProgress(true, 'replaying r', 1000, () => now);
    const log = captureLog();
    try {
      now = 500;
      progress.update({ intervals: 10, lines: 10, bytesRead: 100, totalBytes: 1000 });
      now = 1000;
      progress.update({ intervals: 50, lines: 50, bytesRead: 250, totalBytes: 1000 });
      now = 1500;
      progress.update({ intervals: 60, lines: 60, bytesRead: 300, totalBytes: 1000 });
      now = 2100;
      progress.update({ intervals: 200, lines: 200, bytesRead: 1000, totalBytes: 1000 });
    } finally {
      log.restore();
    }
    assert.deepEqual(
      log.messages.map((m) => m.message),
      ['replaying r: 50/~200 intervals (25 %)', 'replaying r: 200/~200 intervals (100 %)'],
    );
  });

  it('prints nothing when disabled', () => {
    const progress = new ReplayProgress(false, 'x', 0, () => 1e9);
    const log = captureLog();
    progress.update({ intervals: 1, lines: 1, bytesRead: 1, totalBytes: 2 });
    log.restore();
    assert.equal(log.messages.length, 0);
  });
});
