import type { RunEvent } from '../types.ts';
import type { OperatingPoint } from './operatingPoints.ts';

// summary.json (run-format.md, "replay/"): the required fields first, then what this
// reader adds (gap and training counts, the attacks, FNR, per-attack outcomes).

/** How one detector fared on one attack. */
export interface AttackOutcome {
  /** Position of the attack in the summary's `attacks` list. */
  readonly attack: number;
  /** False when none of its intervals (nor the one after) was scored: training, gaps or outside the run. */
  readonly scored: boolean;
  readonly detected: boolean;
  /** End of the first alarmed interval − attack start; null when missed. */
  readonly delaySeconds: number | null;
  /**
   * The first edge the detecting alarm (the one delaySeconds is measured to) blamed; null when
   * missed or when it blamed no edge. Detection counts any alarm in the attack's intervals (or
   * the one after), whatever it blamed: this says whether it was about the attack. Replay always
   * writes both; summaries written before they existed lack them.
   */
  readonly firstBlamed?: { readonly src: string; readonly dst: string } | null;
  /** Whether firstBlamed lies on this attack's path (an edge of it, `*` any node); null when missed. */
  readonly blameOnPath?: boolean | null;
}

/** One detector's scores against the ground truth (summary.json `detectors.<name>`). */
export interface DetectorSummary {
  readonly tp: number;
  readonly fp: number;
  readonly tn: number;
  readonly fn: number;
  /** TP / (TP + FN); null without attack intervals. */
  readonly tpr: number | null;
  /** FP / (FP + TN); null without benign intervals. */
  readonly fpr: number | null;
  /** FN / (FN + TP) (= 1 − TPR); null without attack intervals. */
  readonly fnr: number | null;
  /** TP / (TP + FP); null without alarms. */
  readonly precision: number | null;
  /** 2TP / (2TP + FP + FN); null when there is neither an alarm nor an attack interval. */
  readonly f1: number | null;
  /** ROC area from the scores; null without attack or without benign intervals. */
  readonly auc: number | null;
  /**
   * Of the intervals counted in tp, fp, tn and fn, those the detector judged without a threshold
   * (NaN in scores.csv: its limit still calibrating, or none at all), where it could not alarm:
   * counted as tn (benign) or fn (attack) all the same. All of them: it never judged, and its
   * FPR 0 says nothing. Replay always writes both; summaries written before lack them.
   */
  readonly uncalibratedIntervals?: number;
  /** The attack intervals (tp + fn) among uncalibratedIntervals. */
  readonly uncalibratedAttackIntervals?: number;
  readonly events: {
    readonly detected: number;
    /** Attacks with at least one scored interval (its own or the one right after it). */
    readonly total: number;
    /** Mean over detected attacks; null when none was detected. */
    readonly meanDelaySeconds: number | null;
    readonly outcomes: readonly AttackOutcome[];
  };
  /**
   * Of the alarms raised in (scored) attack intervals, how many name an edge of that attack
   * (a consecutive pair of its `path`, either direction, `*` any node) as their first blamed edge.
   */
  readonly blame: { readonly alarms: number; readonly onPath: number };
  /**
   * Of `blame.alarms`, those in intervals of attacks none of which has a path, so never on path
   * and with nothing to check them against; written only when some are (see checkedBlame). Beside
   * `blame`, not in it: the run format defines `blame` as `{alarms, onPath}`.
   */
  readonly blameWithoutPath?: number;
  /** Per requested false-alarm rate (replay's --at-fpr; 0.01 and 0.001 by default): threshold and TPR from the ROC. */
  readonly operatingPoints: readonly OperatingPoint[];
  /**
   * The false alarms (fp) with adjacent pairs counted once: a run of L adjacent false alarms
   * counts ⌈L/2⌉ (one cause often alarms in two adjacent intervals; a detector that alarms
   * without end still counts every other interval). Summaries written before it lack it.
   */
  readonly falseAlarmEpisodes?: number;
  /** The FPR's 95 % Wilson interval, [low, high] (see binomial.ts); null without benign intervals. */
  readonly fprInterval95?: readonly [number, number] | null;
  /** The TPR's likewise, over the attack intervals (tp of tp + fn): two attacks caught of two is 0.34-1. Null without attack intervals. */
  readonly tprInterval95?: readonly [number, number] | null;
  /** Whether the false alarms fit the rate the detector's threshold was calibrated to (replay writes it for detectors with such a rate). */
  readonly falseAlarmPromise?: FalseAlarmPromise;
}

/** A detector's false alarms against its calibrated rate (see falseAlarmPromise.ts). */
export interface FalseAlarmPromise {
  /** The rate its threshold was calibrated to. */
  readonly rate: number;
  /** Benign scored intervals it judged with a threshold (those without one could not alarm). */
  readonly judgedIntervals: number;
  /** falseAlarmEpisodes, the count tested. */
  readonly episodes: number;
  /** P(so many episodes or more) in judgedIntervals intervals at `rate`: small means the promise was not kept on this run. */
  readonly p: number;
}

/** summary.json (run-format.md, "replay/"), plus a few fields of context. */
export interface ReplaySummary {
  readonly run: string;
  /** Intervals in the stream (gaps and training included). */
  readonly intervals: number;
  /** Intervals scored (after training, not gaps; grace intervals included). */
  readonly scoredIntervals: number;
  /** Scored intervals that share time with an attack (= TP + FN of every detector). */
  readonly attackIntervals: number;
  /** Scored intervals right after an attack, left out of TP/FP/TN/FN and the ROC area. */
  readonly graceIntervals: number;
  readonly gapIntervals: number;
  readonly trainingIntervals: number;
  /** The attacks evaluated against (informational events left out), in start order. */
  readonly attacks: readonly RunEvent[];
  readonly detectors: Readonly<Record<string, DetectorSummary>>;
  /** Lines of the run's files that were bad (skipped, or kept as gaps), all counted though only the first 10 are printed. */
  readonly badLines?: { readonly snapshots: number; readonly events: number };
}
