/**
 * Node 20's own fetch is undici 6.24, whose connection timers can fire after the connection's
 * parser was collected: `onParserTimeout` derefs a WeakRef without checking and throws
 * "Cannot destructure property 'socket' of 'parser.deref(...)' as it is undefined" from a
 * timer, which no caller can catch, and the process dies. The test runner met it once in a
 * clean-clone CI run (a shared test process, many short fetches); a recording fetches every
 * interval for hours (the scrape source, the built-in traffic's shoppers), so it would meet it
 * too. undici 7 checks for it. Node's fetch sends every request through the global dispatcher
 * (Symbol.for('undici.globalDispatcher.1'), which undici 7 sets too), so an undici 7 Agent
 * there moves the connections, and their timers, to undici 7; the fetch API is unchanged.
 * Loaded by the commands that fetch (experiment, record), after their flags are read: it costs
 * ~0.13 s of start-up, which `--help` does not pay.
 */
export async function useCurrentUndici(): Promise<void> {
  const { Agent, Dispatcher, getGlobalDispatcher, setGlobalDispatcher } = await import('undici');
  // Already undici 7's (a test process sets it up front): its open connections are kept.
  if (getGlobalDispatcher() instanceof Dispatcher) return;
  setGlobalDispatcher(new Agent());
}
