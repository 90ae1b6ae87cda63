import assert from 'node:assert/strict';

/** Poll `predicate` every 50 ms; fail naming `what` (and `detail()`) after `millis`. */
export async function waitFor(predicate: () => boolean, what: string, millis: number, detail: () => string = () => ''): Promise<void> {
  const until = Date.now() + millis;
  while (!predicate()) {
    assert.ok(Date.now() < until, `timed out waiting for ${what}${detail() ? `: ${detail()}` : ''}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
