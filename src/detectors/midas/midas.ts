import type { OperatorFunction } from 'rxjs';
import { z } from 'zod';
import type { Frame, Verdict } from '../../types.ts';
import { detectorOperator, streamOptions, type DetectorSetup } from '../detector.ts';
import { parseDetectorOptions } from '../options.ts';
import { warnIfBlind } from '../series/index.ts';
import { ActiveEdges } from '../sparse/index.ts';
import { CalibratedLimit, falseAlarmRateOption, LEARN_EVERY_EXCEEDANCE } from '../stats/index.ts';
import { MidasR } from './midasCore.ts';

/** The run-format counts MIDAS-R watches by default: requests and opened TCP connections (a scan or a lateral call is a count, not a volume). */
export const MIDAS_METRICS = ['requests', 'tcp_connections'] as const;

export const midasOptionsSchema = z
  .object({
    /** This detector's false-alarm rate (fraction of benign intervals), over `detectors.falseAlarmRate`. */
    falseAlarmRate: falseAlarmRateOption().optional(),
    /** MIDAS-R's decay factor of the current counts per interval, in [0, 1). Default 0.5, the paper's. */
    decay: z.number().finite().min(0).lt(1).default(0.5),
    /** Rows of each count-min sketch. Default 4. */
    depth: z.number().int().min(1).max(8).default(4),
    /** Counters per sketch row; memory is 6·depth·width·8 bytes. Default 2048 (e/width ≈ 0.13 % overcount of the total at worst per row). */
    width: z.number().int().min(16).max(1 << 20).default(2048),
    /**
     * What an item's current count is compared with: `load` (default), its total count times
     * the current share of all traffic (so a load swing that moves every edge alike scores
     * nothing: see chiSquaredShare); `ticks`, its total over the ticks so far, s/t (the paper's,
     * whose score follows any trend in the load).
     */
    baseline: z.enum(['load', 'ticks']).default('load'),
    /**
     * `upper` (default): only an item above its expected count scores, an edge, source or
     * destination carrying more than its share (a burst: MIDAS's microclusters are sudden
     * arrivals); `both`: the paper's statistic, under which a shortfall scores as an excess does,
     * so a node whose callee was scaled to zero fell short of its share in every interval until
     * it came back (87 alarms in 200 intervals).
     */
    tail: z.enum(['upper', 'both']).default('upper'),
    /** Counts added up per edge. Default: requests and tcp_connections; byte metrics may be added. */
    metrics: z.array(z.string().min(1)).min(1).default([...MIDAS_METRICS]),
  })
  .strict();
export type MidasOptionsInput = z.input<typeof midasOptionsSchema>;
export type MidasOptions = z.output<typeof midasOptionsSchema>;

/** `midas`: MIDAS-R's streaming burst score over edges, sources and destinations (see MidasR), calibrated to the false-alarm rate. */
export function midas(options: MidasOptionsInput = {}, setup: DetectorSetup = {}): OperatorFunction<Frame, Verdict> {
  const o = parseDetectorOptions('midas', midasOptionsSchema, options);
  const stream = streamOptions('midas', setup);
  return detectorOperator(() => {
    const counts = new ActiveEdges({ metrics: o.metrics });
    // MIDAS-R's decayed counts carry a burst into the next intervals: one benign burst crosses
    // several times, so every exceedance is learnt (no declustering, see TailThreshold).
    const limit = new CalibratedLimit(o.falseAlarmRate ?? stream.falseAlarmRate, undefined, LEARN_EVERY_EXCEEDANCE);
    return new MidasR(counts, o, limit, warnIfBlind(stream.name, counts.volume, o.metrics));
  }, stream);
}
