// Preloaded (`node --import`) into the processes `npm run bench` times as a whole: on exit,
// writes the process's peak RSS (kB) and CPU time (µs, user and system), from getrusage, as
// JSON to the file MUNNIN_PEAK_RSS_FILE names. CPU time says what wall time cannot on a
// machine shared with other work.
// With MUNNIN_RSS_SAMPLE_MS it also samples the RSS (MB) every that many milliseconds (a timer
// that never keeps the process alive; a long synchronous stretch delays a sample) and writes the
// samples as [milliseconds since start, MB] pairs, the last one taken at exit: what shows whether
// memory grows with the run's length.
import { writeFileSync } from 'node:fs';

const file = process.env.MUNNIN_PEAK_RSS_FILE;
if (file) {
  const every = Number(process.env.MUNNIN_RSS_SAMPLE_MS ?? 0);
  const samples = [];
  const t0 = performance.now();
  const sample = () => samples.push([Math.round(performance.now() - t0), process.memoryUsage.rss() / 2 ** 20]);
  if (every > 0) setInterval(sample, every).unref();
  process.on('exit', () => {
    if (every > 0) sample();
    const { maxRSS, userCPUTime, systemCPUTime } = process.resourceUsage();
    // 'wx': the first process to exit wins. A command whose build is stale rebuilds and re-runs
    // itself in a child (scripts/freshBuild.mjs), which inherits this preload and exits first:
    // its figures are the work's; the waiting parent's (0.1 s, 50 MB) would hide them.
    try {
      writeFileSync(file, JSON.stringify({ maxRSS, userCPUTime, systemCPUTime, ...(every > 0 ? { samples } : {}) }), { flag: 'wx' });
    } catch (e) {
      if (e?.code !== 'EEXIST') throw e;
    }
  });
}
