export { defineDetector, type DetectorPlugin, type PluginSetup } from './DetectorPlugin.ts';
export { loadDetectorPlugins } from './loadDetectorPlugins.ts';
export { loadedDetectorPlugin, registerDetectorPlugin } from './pluginRegistry.ts';
export { pluginRegistrations, type PluginRegistration } from './pluginRegistrations.ts';
export { withDetectorPlugins } from './withDetectorPlugins.ts';
export { preloadDetectorPlugins, withLoadedPlugins } from './preloadDetectorPlugins.ts';
export { DetectorPluginError } from './pluginFailure.ts';
export { builtInsNamed, namedDetectors, unknownDetectorNames } from './namedDetectors.ts';
export { pluginsNotLoaded, pluginsNotLoadedWarning, recordedPluginWarnings, type RecordedRun } from './recordedPluginWarnings.ts';
