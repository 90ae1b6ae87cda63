// The detectors' defaults that the parameters schema needs, in a module that imports nothing:
// the schema (and with it every command's flag parsing) must not load the detectors to know them.

/** The default training stretch; the parameters' `detectors.trainingSeconds` takes its default from here. */
export const DEFAULT_TRAINING_SECONDS = 60;

/** The default operating point: the fraction of benign scored intervals a detector may alarm on. */
export const DEFAULT_FALSE_ALARM_RATE = 0.01;
