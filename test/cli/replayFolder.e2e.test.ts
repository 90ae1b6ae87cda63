import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeTempDir, readJson } from '../util.ts';

const root = join(import.meta.dirname, '..', '..');
const fixtures = join(root, 'test', 'fixtures');
const tmp = makeTempDir('munnin-cli-replay-folder-');
after(() => tmp.remove());

function command(name: 'replay' | 'quality', ...args: string[]) {
  const r = spawnSync(process.execPath, ['--import', join(root, 'node_modules', 'tsx', 'dist', 'loader.mjs'), join(root, 'src', 'cli', `${name}.ts`), ...args], { cwd: root, encoding: 'utf8', timeout: 180_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Munnin's two runs linked into a folder (their folders stay untouched), with `extra` folders beside. */
function munninFolder(name: string): string {
  const dir = join(tmp.dir, name);
  mkdirSync(dir, { recursive: true });
  for (const run of ['munnin-cybermonday-0k', 'munnin-cybermonday-30k']) symlinkSync(join(fixtures, run), join(dir, run), 'dir');
  return dir;
}

describe('npm run replay -- <folder of runs>', () => {
  it('compares the runs it can replay, lists the one it cannot at the end, exits 1', () => {
    const dir = munninFolder('with-broken');
    mkdirSync(join(dir, 'broken'));
    writeFileSync(join(dir, 'broken', 'run.json'), '{"format": "munnin-run/1", "intervalSeconds": 5, "metrics": ["requests"]\n');
    const out = join(tmp.dir, 'with-broken-out');
    const r = command('replay', dir, '--training', '100', '--detectors', 'ewma,cusum', '--out', out, '--quiet');
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stdout, /^pooled over 2 run\(s\)$/m);
    // The README's figures for these two runs (--training 100): cusum 5 of 5 attacks, no false alarm in 53 + 45 benign intervals.
    assert.match(r.stdout, /^cusum +2 +5\/5 +1\.000 +0\/98 +0\.000 /m);
    assert.match(r.stdout, /^30000 +1 +5 /m);
    // 30 kB is one of the sizes of Munnin's bar: the folder is held against it (5 of 5 is 1.00, clear as measured only).
    assert.match(r.stdout, /^against the bar Munnin set on its own data/m);
    assert.match(r.stdout, /^ {2}cusum +30 kB 1\.00\/0\.000 \+ +all cleared as measured$/m);
    assert.match(r.stdout, /1 of 3 run\(s\) not replayed, left out of the comparison:\n {2}broken: .*broken[\\/]run\.json.*not valid JSON/);
    assert.match(r.stderr, /broken: not replayed/);
    assert.doesNotMatch(r.stderr, /^\s+at /m);
    // Outputs under --out; the linked runs' folders (the repository's fixtures) untouched.
    assert.ok(existsSync(join(out, 'runs', 'munnin-cybermonday-30k', 'summary.json')));
    assert.deepEqual(readdirSync(join(fixtures, 'munnin-cybermonday-30k')).sort(), ['README.md', 'events.ndjson', 'run.json', 'snapshots.ndjson']);
    const json = readJson(out, 'comparison.json');
    assert.equal(json.pooled.cusum.caught, 5);
    assert.deepEqual(json.failed.map((f: { run: string }) => f.run), ['broken']);
  });

  it('refuses a folder without runs, and flags that belong to one run, in one line (exit 2)', () => {
    const empty = join(tmp.dir, 'empty');
    mkdirSync(empty);
    const r = command('replay', empty);
    assert.equal(r.code, 2);
    assert.equal(r.stderr, `error: ${empty}: no run in it: it holds no run.json, nor does any folder in it (a run is a folder holding run.json, docs/run-format.md); nothing replayed\n`);
    const dir = munninFolder('flags');
    for (const [flag, value] of [['--events', join(fixtures, 'munnin-cybermonday-30k', 'events.ndjson')], ['--speed', '10']] as const) {
      const f = command('replay', dir, flag, value);
      assert.equal(f.code, 2, flag);
      assert.match(f.stderr, new RegExp(`^error: ${flag}.*folder of runs`), flag);
    }
  });
});

describe('npm run quality', () => {
  it('replays Munnin’s two runs as one folder, with --training 100 and as configured (--parts a: that part only)', () => {
    const out = join(tmp.dir, 'quality');
    const markdown = join(tmp.dir, 'quality.md');
    const r = command('quality', '--out', out, '--parts', 'a', '--markdown', markdown, '--quiet');
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /== a\. Munnin's 2018 runs, --training 100: npm run replay -- .*munnin-2018 --training 100/);
    assert.match(r.stdout, /== a\. Munnin's 2018 runs, settings as they are/);
    assert.equal(r.stdout.match(/^pooled over 2 run\(s\)$/gm)?.length, 2);
    assert.ok(existsSync(join(out, 'munnin-2018-100', 'comparison.csv')) && existsSync(join(out, 'munnin-2018-defaults', 'comparison.json')));
    assert.doesNotMatch(r.stdout, /== [b-h]\./);
    assert.deepEqual(readdirSync(out).sort(), ['munnin-2018', 'munnin-2018-100', 'munnin-2018-defaults']);
    // --markdown: the same tables as one page, headed by the command and commit, with the folders written <out>.
    const page = readFileSync(markdown, 'utf8');
    assert.match(page, /^# Measured quality\n\nWritten by `npm run quality -- --out <out> --parts a --markdown \S*quality\.md --quiet` at commit /);
    assert.ok(!page.includes(`${out}/`) && !page.includes(`${out} `), 'the temporary folder is written <out>');
    // …as a whole path only: the page's own path starts with the same letters and is written as given.
    assert.ok(page.includes(`--markdown ${markdown} `), 'the page named in full');
    const sections = page.split(/^## /m).slice(1);
    assert.deepEqual(sections.map((s) => s.split('\n')[0]), ["a. Munnin's 2018 runs, --training 100", "a. Munnin's 2018 runs, settings as they are"]);
    assert.match(sections[0]!, /^`npm run replay -- <out>\/munnin-2018 --training 100 --out <out>\/munnin-2018-100`/m);
    // The figures the terminal printed (the README's: path and cusum 5 of 5, no false alarm in 53 + 45 benign intervals).
    assert.match(sections[0]!, /^\| path \| 2 \| 5\/5 \| 1\.000 \| 0\/98 \| 0\.000 \| /m);
    assert.match(r.stdout, /^path +2 +5\/5 +1\.000 +0\/98 +0\.000 /m);
    assert.match(sections[0]!, /^\| 30 kB \| 1 \| 5 \| /m);
    assert.match(sections[1]!, /^\| cusum \| 2 \| 5\/5 \| 1\.000 \| 0\/114 \| /m);
  });

  it('part c: per seed a benign Munnin-shaped run and one copy per size (10-35 kB), replayed as one folder and held against Munnin’s bar; part d: Munnin’s real benign run with the same attacks', () => {
    const out = join(tmp.dir, 'quality-c');
    const r = command('quality', '--out', out, '--skip-sweep', '--munnin-seeds', '1', '--quiet');
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(readdirSync(join(out, 'munnin-shaped')).sort(), ['00', '10', '15', '20', '25', '30', '35'].map((kB) => `seed-001-${kB}kB`));
    assert.match(r.stdout, /== c\. 1 synthetic Munnin-shaped runs × \(benign \+ 6 sizes\), --training 100: npm run replay -- .*munnin-shaped --training 100/);
    assert.match(r.stdout, /== c\. 1 synthetic Munnin-shaped runs × \(benign \+ 6 sizes\), settings as they are/);
    const partC = r.stdout.split('\n== d.')[0]!;
    assert.equal(partC.match(/^pooled over 7 run\(s\)$/gm)?.length, 2);
    const comparison = readJson(join(out, 'munnin-shaped-100', 'comparison.json')) as { byBytes: { bytes: number | null; runs: string[] }[] };
    assert.deepEqual(comparison.byBytes.map((row) => [row.bytes, row.runs.length]), [[null, 1], [10_000, 1], [15_000, 1], [20_000, 1], [25_000, 1], [30_000, 1], [35_000, 1]]);
    // One line per detector against the bar, each with the six sizes.
    const bar = partC.split('against the bar')[1]!.split('\n').slice(1, 12);
    assert.ok(bar.every((line) => (line.match(/ kB /g) ?? []).length === 6), bar.join('\n'));
    // Part d, in every run: Munnin’s real benign run and per size one copy per schedule (Munnin's, moved by −40, −30,
    // −20, 0 and +20 s: first attacks at 160, 170, 180, 200 and 220 s) with his five exfiltrations injected along its route.
    const schedules = ['160', '170', '180', '200', '220'];
    assert.deepEqual(readdirSync(join(out, 'munnin-0k-injected')).sort(), ['0k-00kB', ...['10', '15', '20', '25', '30', '35'].flatMap((kB) => schedules.map((t) => `0k-${kB}kB-t${t}`))]);
    // The run's own events (its five null-exfiltration slots) stay; the injected ones are added.
    const all = readFileSync(join(out, 'munnin-0k-injected', '0k-20kB-t200', 'events.ndjson'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { kind: string; bytes: number; path: string[]; start: number; injected?: boolean });
    const events = all.filter((e) => e.injected === true);
    assert.equal(all.filter((e) => e.kind === 'null-exfiltration').length, 5);
    // The run's first slice ends at 1500000005.542, so it starts at …0.542: windows at 200, 205, 300, 310 and 315 s
    // after it, each taking the slice whose middle lies in it, whole; the run's slice ends drift (≈ 5.004 s apart),
    // so those slices start 0.18-0.29 s later (snapshots.ndjson: e.g. (200.183, 205.183] after the start).
    assert.deepEqual(events.map((e) => Math.round((e.start - 1_500_000_000.542) * 1000) / 1000), [200.183, 205.188, 300.277, 310.286, 315.291]);
    assert.ok(events.every((e) => e.kind === 'exfiltration' && e.bytes === 20_000 && e.path.join(',') === 'user-db,user,front-end,172.17.0.1'));
    // Moved 40 s earlier, the same spacing: 160, 165, 260, 270 and 275 s, each taking the slice 8 earlier: 40 s plus
    // 8 slices' drift (the slices are 5.004-5.005 s apart there), so 40.03-40.04 s earlier.
    const earliest = readFileSync(join(out, 'munnin-0k-injected', '0k-20kB-t160', 'events.ndjson'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { start: number; injected?: boolean }).filter((e) => e.injected === true);
    assert.equal(earliest.length, 5);
    for (const [i, e] of earliest.entries()) assert.ok(Math.abs(events[i]!.start - e.start - 40.035) <= 0.005, `attack ${i + 1}: ${events[i]!.start - e.start} s earlier`);
    // Replayed with the settings as they are only: 25 attacks a size.
    const partD = readJson(join(out, 'munnin-0k-injected-defaults', 'comparison.json')) as { byBytes: { bytes: number | null; runs: string[]; detectors: Record<string, { events: number }> }[] };
    assert.deepEqual(partD.byBytes.map((row) => [row.bytes, row.runs.length, row.detectors['path']!.events]), [[null, 1, 0], [10_000, 5, 25], [15_000, 5, 25], [20_000, 5, 25], [25_000, 5, 25], [30_000, 5, 25], [35_000, 5, 25]]);
    assert.ok(!existsSync(join(out, 'munnin-0k-injected-100')));
    // Part g: part d's copies read stale once, at the slice of an attack or the one before it (slices 39-41 for the
    // attacks at 200 and 205 s, 59-63 for those at 300, 310 and 315 s, on Munnin's schedule), and the benign run
    // read stale once at each slice past the default 60 s of training (slices 11-70 of its 72: slice 11 ends 60.05 s in).
    const partG = readdirSync(join(out, 'munnin-0k-stale')).filter((name) => !['comparison.csv', 'comparison.json', 'runs'].includes(name) && !name.endsWith('.png'));
    assert.equal(partG.filter((name) => name.startsWith('0k-00kB-stale')).length, 60);
    assert.deepEqual(partG.filter((name) => name.startsWith('0k-20kB-t200-')).map((name) => Number(name.split('stale')[1])).sort((a, b) => a - b), [39, 40, 41, 59, 60, 61, 62, 63]);
    assert.equal(partG.length, 60 + 6 * 5 * 8);
    // A copy: its slice 60 (the attack at 300 s) a gap, and slice 61 holding both slices' traffic on the attack's hop.
    const lines = (run: string) => readFileSync(join(out, run, 'snapshots.ndjson'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { gap?: boolean; edges: { src: string; dst: string; tcp_sent_bytes?: number }[] });
    const injected = lines(join('munnin-0k-injected', '0k-20kB-t200'));
    const stale = lines(join('munnin-0k-stale', '0k-20kB-t200-stale60'));
    const hop = (slice: { edges: { src: string; dst: string; tcp_sent_bytes?: number }[] }) => slice.edges.find((e) => e.src === 'front-end' && e.dst === 'user')?.tcp_sent_bytes ?? 0;
    assert.equal(stale[60]!.gap, true);
    assert.equal(hop(stale[61]!), hop(injected[60]!) + hop(injected[61]!));
    assert.match(r.stdout, /== g\. part d with one stale read .*settings as they are: npm run replay -- .*munnin-0k-stale/);
    // Part h: Munnin's two runs, 30 copies of each read stale at 4 random slices, each in both matrices (a gap) or in one
    // alone (that metric 0 on every edge of a slice that stays, its traffic in the next), which replay reads as a gap.
    const partH = readdirSync(join(out, 'munnin-random-stale')).filter((name) => !['comparison.csv', 'comparison.json', 'runs'].includes(name) && !name.endsWith('.png'));
    const seeds = Array.from({ length: 30 }, (_, k) => String(k + 1).padStart(2, '0'));
    assert.deepEqual(partH.sort(), [...seeds.map((s) => `0k-r${s}`), ...seeds.map((s) => `30k-r${s}`)].sort());
    const reads = partH.map((name) => (readJson(join(out, 'munnin-random-stale', name, 'run.json')) as { injected: { staleReads: { slice: number; metrics?: string[] }[] } }).injected.staleReads);
    assert.ok(reads.every((r) => r.length === 4 && new Set(r.map((x) => x.slice)).size === 4 && r.every((x) => x.slice >= 1 && x.slice <= 70)));
    const kinds = new Set(reads.flat().map((x) => x.metrics?.join() ?? 'both'));
    assert.deepEqual([...kinds].sort(), ['both', 'tcp_received_bytes', 'tcp_sent_bytes']);
    // A read of one metric alone: that metric 0 on every edge of the slice, which is no gap in the file.
    const copy = partH.find((name, k) => reads[k]!.some((x) => x.metrics !== undefined))!;
    const one = reads[partH.indexOf(copy)]!.find((x) => x.metrics !== undefined)!;
    const slice = lines(join('munnin-random-stale', copy))[one.slice]!;
    assert.ok(slice.gap !== true && slice.edges.length > 0 && slice.edges.every((e) => ((e as Record<string, unknown>)[one.metrics![0]!] ?? 0) === 0));
    assert.match(r.stdout, /== h\. Munnin's two runs, 30 copies of each read stale at 4 random slices .*settings as they are: npm run replay -- .*munnin-random-stale/);
    assert.match(r.stderr, /^warn: \d slice\(s\) read one metric as 0 on every edge while its companion read traffic on 3 or more \(tcp_/m);
    // Part i: Munnin's benign run and his attack run with its five exfiltrations scaled to each size (30 kB: as recorded).
    const partI = join(out, 'munnin-30k-scaled');
    assert.deepEqual(readdirSync(partI).filter((name) => /^\d+k-/.test(name)).sort(), ['0k-00kB', '30k-10kB', '30k-15kB', '30k-20kB', '30k-25kB', '30k-30kB', '30k-35kB']);
    const hopOf = (run: string) => lines(join('munnin-30k-scaled', run)).map((slice) => hop(slice));
    const recorded = readFileSync(join(fixtures, 'munnin-cybermonday-30k', 'snapshots.ndjson'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { edges?: { src: string; dst: string; tcp_sent_bytes?: number }[] });
    assert.deepEqual(hopOf('30k-30kB'), recorded.map((slice) => hop({ edges: slice.edges ?? [] })));
    // At 10 kB the attack's slices (40-42 and 60-64 with the slices after them) carry less on front-end → user; no other slice changes.
    const scaled = hopOf('30k-10kB');
    const changed = scaled.flatMap((v, k) => (v !== hopOf('30k-30kB')[k] ? [k] : []));
    assert.ok(changed.length > 0 && changed.every((k) => [40, 41, 42, 60, 61, 62, 63, 64].includes(k) && scaled[k]! < hopOf('30k-30kB')[k]!), `changed: ${changed.join(', ')}`);
    const scaledEvents = readFileSync(join(partI, '30k-10kB', 'events.ndjson'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { kind: string; bytes?: number });
    assert.deepEqual(scaledEvents.filter((e) => e.kind === 'exfiltration').map((e) => e.bytes), [10_000, 10_000, 10_000, 10_000, 10_000]);
    // The README's figure (part i): path catches all five at every size, 10 kB included, with either training.
    for (const training of ['100', 'defaults']) {
      const c = readJson(join(out, `munnin-30k-scaled-${training}`), 'comparison.json') as { byBytes: { bytes: number | null; detectors: Record<string, { caught: number; falseAlarms: number }> }[] };
      assert.deepEqual(c.byBytes.map((row) => [row.bytes, row.detectors['path']!.caught]), [[null, 0], [10_000, 5], [15_000, 5], [20_000, 5], [25_000, 5], [30_000, 5], [35_000, 5]], training);
    }
    assert.match(r.stdout, /== i\. Munnin's real 30 kB attack run with its five exfiltrations scaled to 10-35 kB/);
  });

  it('--munnin-seeds must be a whole number, --parts letters of parts', () => {
    const r = command('quality', '--munnin-seeds', 'ten', '--skip-sweep', '--parts', 'a,q');
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /--munnin-seeds: a whole number from 0 to 1000 \(got ten\)/);
    assert.match(r.stderr, /--parts: letters from abcdefghij \(got a,q: no part q\)/);
    const m = command('quality', '--parts', 'a', '--markdown', join(tmp.dir, 'no-such-folder', 'q.md'));
    assert.equal(m.code, 2, m.stderr);
    assert.match(m.stderr, /^error: --markdown .*q\.md: its folder .*no-such-folder does not exist$/m);
  });
});
