import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { runStatus, type SnapshotIndex } from '../../src/dashboard/index.ts';
import type { RunManifest } from '../../src/types.ts';

const manifest = (fields: Partial<RunManifest>): RunManifest => ({ format: 'munnin-run/1', intervalSeconds: 5, metrics: ['requests'], ...fields });
const written = (mtimeMillis: number) => ({ mtimeMillis }) as SnapshotIndex;
const NOW = 1_000_000_000;

describe('run status', () => {
  it('is complete when run.json says so, interrupted when it ended without completing', () => {
    assert.equal(runStatus('r', manifest({ complete: true }), written(NOW), undefined, NOW), 'complete');
    assert.equal(runStatus('r', manifest({ complete: false, endedAt: '2026-01-01T00:00:00Z' }), written(NOW), 'r', NOW), 'interrupted');
  });

  it('is recording while the live experiment writes it or its snapshots changed within max(10 s, 3 intervals)', () => {
    const open = manifest({ complete: false });
    assert.equal(runStatus('r', open, written(0), 'r', NOW), 'recording');
    assert.equal(runStatus('r', open, written(NOW - 14_999), 'other', NOW), 'recording');
    assert.equal(runStatus('r', open, written(NOW - 15_001), undefined, NOW), 'interrupted');
    const fast = manifest({ intervalSeconds: 1 });
    assert.equal(runStatus('r', fast, written(NOW - 9_999), undefined, NOW), 'recording');
    assert.equal(runStatus('r', fast, written(NOW - 10_001), undefined, NOW), 'interrupted');
    // No snapshots file at all (mtime unknown): nothing is being written.
    assert.equal(runStatus('r', fast, written(Number.NaN), undefined, NOW), 'interrupted');
  });
});
