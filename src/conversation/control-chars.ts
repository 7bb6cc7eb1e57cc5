/**
 * Control characters (C0 other than newline and tab, and DEL) mean nothing in a chat message,
 * and in a terminal or a log they move the cursor, recolour or rewrite what is shown: they are
 * removed from what people type and from what the model says.
 */
// eslint-disable-next-line no-control-regex
const CONTROLS = /[\u0000-\u0008\u000b-\u001f\u007f]/g;

export const withoutControls = (text: string): string => text.replace(CONTROLS, '');
