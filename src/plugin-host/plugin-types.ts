import type { Plugin } from '@elizaos/core';

export interface LoadedPlugin {
  /** The name the character used (folder or package name). */
  id: string;
  source: 'local' | 'npm';
  plugin: Plugin;
}
