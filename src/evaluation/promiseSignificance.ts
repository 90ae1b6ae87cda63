// Imports nothing, so the dashboard's page can load it as it is (BROWSER_ENTRIES) and mark a
// broken promise at the same P as the printed tables and the report.

/**
 * A run's false alarms this unlikely under the rate a detector was calibrated to are reported
 * as the promise not kept on that run: at 0.01, one detector in a hundred whose promise holds
 * is named by chance.
 */
export const PROMISE_SIGNIFICANCE = 0.01;
