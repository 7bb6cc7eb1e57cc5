/** The widget's browser code, a plain script kept as an asset so it is served as written. */
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { packageRoot } from '../../package-root.js';

const file = path.join(packageRoot(), 'src', 'channels', 'web', 'assets', 'widget.js');

export const widgetScript = readFileSync(file, 'utf8');
/** When the script last changed: its Last-Modified. */
export const widgetModified = statSync(file).mtime;
