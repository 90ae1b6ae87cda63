// Preloaded (`node --import`) into the processes `npm run bench` times as a whole: on exit,
// writes the process's peak RSS (kB) and CPU time (µs, user and system), from getrusage, as
// JSON to the file MUNNIN_PEAK_RSS_FILE names. CPU time says what wall time cannot on a
// machine shared with other work.
import { writeFileSync } from 'node:fs';

const file = process.env.MUNNIN_PEAK_RSS_FILE;
if (file) {
  process.on('exit', () => {
    const { maxRSS, userCPUTime, systemCPUTime } = process.resourceUsage();
    writeFileSync(file, JSON.stringify({ maxRSS, userCPUTime, systemCPUTime }));
  });
}
