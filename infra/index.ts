/**
 * The reusable parts: put `ImageUpdater` in your own CDK stacks, or deploy `ImageUpdaterStack` alone.
 */

export { REGISTRY_KEYS } from '../lib/adapters/registry-keys.ts';
export { CONFIG_CONTEXT_KEY, ConfigError, parseUpdaterConfig, type UpdaterConfig } from './config.ts';
export { ImageUpdater, type ImageUpdaterProps } from './image-updater.ts';
export { ImageUpdaterAlarms } from './image-updater-alarms.ts';
export type {
  ArgoCdConnectionProps,
  GitHubConnectionProps,
  ImageUpdaterConnections,
} from './image-updater-connections.ts';
export { ImageUpdaterDashboard } from './image-updater-dashboard.ts';
export {
  ImageUpdaterHub,
  type ImageUpdaterHubProps,
  type ImageUpdaterSpokeAccount,
} from './image-updater-hub.ts';
export { ImageUpdaterSpoke, type ImageUpdaterSpokeProps } from './image-updater-spoke.ts';
export { ImageUpdaterStack, type ImageUpdaterStackProps } from './image-updater-stack.ts';
export type { ImageUpdaterWrites } from './image-updater-writes.ts';
export { WatchedRepositories } from './watched-repositories.ts';
