/** The widget's browser code, a plain script kept as an asset so it is served as written. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { packageRoot } from '../../package-root.js';

export const widgetScript = readFileSync(path.join(packageRoot(), 'src', 'channels', 'web', 'assets', 'widget.js'), 'utf8');
