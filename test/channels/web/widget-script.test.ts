import { describe, expect, it } from 'vitest';
import { MAX_MESSAGE_CHARS } from '../../../src/conversation/input.js';
import { filledWidget, widgetScript } from '../../../src/channels/web/widget-script.js';
import { chatBody } from '../../../src/channels/web/session.js';
import { UnavailableError } from '../../../src/errors.js';

describe('the message limit: one number for the API and the widget', () => {
  it('is filled into the served widget from the limit the API enforces', () => {
    expect(widgetScript).toContain(`var maxMessageChars = '${MAX_MESSAGE_CHARS}';`);
    expect(widgetScript).toContain('maxlength: maxMessageChars');
    expect(widgetScript).not.toContain('{{');
  });

  it('the API takes a message of the limit and refuses one character more', () => {
    const sessionId = 'a1'.repeat(16);
    const atLimit = 'ü'.repeat(MAX_MESSAGE_CHARS);
    expect(chatBody.safeParse({ sessionId, message: atLimit }).success).toBe(true);
    const over = chatBody.safeParse({ sessionId, message: `${atLimit}!` });
    expect(over.error?.issues[0]?.message).toBe(`at most ${MAX_MESSAGE_CHARS} characters`);
  });

  it('refuses a widget script that lost the slot for the limit', () => {
    expect(() => filledWidget("var input = el('textarea', { maxlength: '4000' });", 'widget.js')).toThrow(UnavailableError);
  });
});
