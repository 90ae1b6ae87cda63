// Not exported from config/index.ts: it imports the detectors, whose option schemas import
// config (schemaProblems), and the index must stay free of that cycle. Entry points import it
// from this file and pass it to resolveParameters.
import { createDetectors } from '../detectors/index.ts';
import { UserError } from '../errors.ts';
import { DetectorPluginError } from '../plugins/index.ts';
import type { DetectorParameters } from './schema.ts';

/**
 * The detectors' own checks of their options (every detector's, enabled or not), one line per
 * problem, e.g. `detectors.options.ewma.lambda: Too big: ... (got 1.5)`. The detectors stage
 * reports them as one UserError listing them all; this turns that list back into lines so the
 * parameters' other problems can be listed with them.
 */
export function detectorOptionProblems(detectors: DetectorParameters): string[] {
  try {
    // Nothing enabled: options are validated, no detector is built.
    createDetectors({ ...detectors, enabled: [] });
    return [];
  } catch (e) {
    if (!(e instanceof UserError)) throw e;
    // A plugin's create() failing (createDetectors builds the plugins even with nothing enabled)
    // is not a mistake in the parameters: the run builds its detectors before anything starts
    // and reports it there, naming the plugin, its module and its message.
    if (e instanceof DetectorPluginError) return [];
    const lines = e.message.split('\n').slice(1).map((l) => l.trim()).filter((l) => l !== '');
    return lines.length > 0 ? lines : [e.message];
  }
}
