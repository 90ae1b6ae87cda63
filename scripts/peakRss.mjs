// Preloaded (`node --import`) into the processes `npm run bench` times as a whole: on exit,
// writes the process's peak RSS (kB, from getrusage) to the file MUNNIN_PEAK_RSS_FILE names.
import { writeFileSync } from 'node:fs';

const file = process.env.MUNNIN_PEAK_RSS_FILE;
if (file) process.on('exit', () => writeFileSync(file, String(process.resourceUsage().maxRSS)));
