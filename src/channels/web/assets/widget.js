/* permachat chat widget. Embed with:
 *   <script src="http://HOST:PORT/widget.js" data-character="NAME" async></script>
 * No framework; everything lives in a shadow root so the host page's styles and ours never mix.
 * Text from people and from the model is only ever put in the page as text nodes.
 */
(function () {
  'use strict';
  var script = document.currentScript || document.querySelector('script[src*="widget.js"]');
  if (!script || window.__permachatWidget) return;
  window.__permachatWidget = true;
  var base = new URL(script.src, location.href).origin;
  var characterName = script.getAttribute('data-character') || '';
  // Filled in by the server as it loads this file (widget-script.ts): the limit its API enforces.
  var maxMessageChars = '{{MAX_MESSAGE_CHARS}}';
  var storageKey = 'permachat:' + base + ':' + characterName;

  function randomId() {
    var bytes = new Uint8Array(16);
    crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) { return ('0' + b.toString(16)).slice(-2); }).join('');
  }

  function sessionId() {
    var id = null;
    try { id = localStorage.getItem(storageKey); } catch (e) { /* storage blocked: a session per page */ }
    if (!id || !/^[A-Za-z0-9_-]{32,128}$/.test(id)) {
      id = randomId();
      try { localStorage.setItem(storageKey, id); } catch (e) { /* ignore */ }
    }
    return id;
  }
  var session = sessionId();

  var css = [
    ':host { all: initial; }',
    '* { box-sizing: border-box; font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }',
    '.bubble { position: fixed; right: 20px; bottom: 20px; width: 60px; height: 60px; border-radius: 50%; border: none;',
    '  background: var(--pc-color); color: #fff; cursor: pointer; box-shadow: 0 6px 20px rgba(0,0,0,.25); z-index: 2147483646;',
    '  display: flex; align-items: center; justify-content: center; }',
    '.bubble svg { width: 28px; height: 28px; fill: currentColor; }',
    '.bubble:focus-visible, button:focus-visible, textarea:focus-visible { outline: 3px solid #ffbf47; outline-offset: 2px; }',
    '.panel { position: fixed; right: 20px; bottom: 92px; width: 370px; height: 560px; max-height: calc(100vh - 112px);',
    '  background: #fff; color: #1d1d1f; border-radius: 16px; box-shadow: 0 12px 40px rgba(0,0,0,.28); display: none;',
    '  flex-direction: column; overflow: hidden; z-index: 2147483647; }',
    '.panel.open { display: flex; }',
    'header { background: var(--pc-color); color: #fff; padding: 14px 16px; display: flex; align-items: center; gap: 10px; }',
    'header .avatar { width: 34px; height: 34px; border-radius: 50%; background: rgba(255,255,255,.25); display: flex;',
    '  align-items: center; justify-content: center; font-weight: 700; }',
    'header h2 { font-size: 16px; margin: 0; flex: 1; }',
    'header small { display: block; font-size: 12px; opacity: .85; font-weight: 400; }',
    'header button { background: transparent; border: none; color: #fff; font-size: 22px; cursor: pointer; width: 36px; height: 36px; border-radius: 8px; }',
    '.log { flex: 1; overflow-y: auto; padding: 16px; display: flex; flex-direction: column; gap: 10px; background: var(--pc-accent); }',
    '.msg { max-width: 85%; padding: 10px 13px; border-radius: 14px; line-height: 1.45; font-size: 14.5px; white-space: pre-wrap; word-wrap: break-word; }',
    '.msg.user { align-self: flex-end; background: var(--pc-color); color: #fff; border-bottom-right-radius: 4px; }',
    '.msg.bot { align-self: flex-start; background: #fff; color: #1d1d1f; border: 1px solid rgba(0,0,0,.08); border-bottom-left-radius: 4px; }',
    '.msg.bot.pending::after { content: "▍"; animation: blink 1s steps(1) infinite; }',
    '.msg.error { align-self: center; background: #fff4f4; color: #9b1c1c; font-size: 13px; }',
    '.msg.note { align-self: center; background: transparent; color: #555; font-size: 12.5px; padding: 2px 8px; }',
    'header button.icon svg { width: 18px; height: 18px; fill: currentColor; vertical-align: middle; }',
    '.msg.error button, .msg.confirm button { margin-left: 8px; background: #9b1c1c; color: #fff; border: none; border-radius: 6px; padding: 3px 10px; font-size: 12.5px; cursor: pointer; }',
    '.msg.confirm { align-self: center; background: #fff8e6; color: #5c3b00; font-size: 13px; }',
    '.msg.confirm button.cancel { background: #666; }',
    '.msg code { background: rgba(0,0,0,.07); padding: 1px 5px; border-radius: 4px; font-family: ui-monospace, monospace; font-size: 13px; }',
    '.msg a { color: inherit; }',
    '@keyframes blink { 50% { opacity: 0; } }',
    'form { display: flex; gap: 8px; padding: 12px; border-top: 1px solid #eee; background: #fff; }',
    'textarea { flex: 1; resize: none; border: 1px solid #ccc; border-radius: 10px; padding: 10px; font-size: 14.5px; height: 44px; max-height: 120px; color: #1d1d1f; }',
    'form button { background: var(--pc-color); color: #fff; border: none; border-radius: 10px; padding: 0 16px; font-weight: 600; cursor: pointer; }',
    'form button:disabled { opacity: .5; cursor: default; }',
    '.sr { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }',
    '@media (max-width: 480px) { .panel { right: 0; bottom: 0; width: 100vw; height: 100vh; max-height: none; border-radius: 0; } }',
  ].join('\n');

  var host = document.createElement('div');
  host.setAttribute('data-permachat', '');
  var root = host.attachShadow({ mode: 'open' });
  var style = document.createElement('style');
  style.textContent = css;
  root.appendChild(style);

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    for (var key in attrs || {}) node.setAttribute(key, attrs[key]);
    if (text !== undefined) node.textContent = text;
    return node;
  }

  var bubble = el('button', { class: 'bubble', type: 'button', 'aria-haspopup': 'dialog', 'aria-expanded': 'false', 'aria-label': 'Open chat' });
  bubble.innerHTML = '<svg viewBox="0 0 24 24" aria-hidden="true"><path d="M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H9l-5 4v-4H4a2 2 0 0 1-2-2V6a2 2 0 0 1 2-2z"/></svg>';
  var panel = el('div', { class: 'panel', role: 'dialog', 'aria-modal': 'false', 'aria-labelledby': 'pc-title' });
  var header = el('header');
  var avatar = el('span', { class: 'avatar', 'aria-hidden': 'true' }, (characterName || '?').charAt(0).toUpperCase());
  var title = el('h2', { id: 'pc-title' }, characterName || 'Chat');
  var subtitle = el('small', {}, 'remembers you, privately');
  title.appendChild(subtitle);
  var restart = el('button', { type: 'button', class: 'icon', 'aria-label': 'Start a new conversation', title: 'New conversation' });
  restart.innerHTML = '<svg viewBox="0 0 24 24" aria-hidden="true"><path d="M12 5V2L7 6l5 4V7a6 6 0 1 1-6 6H4a8 8 0 1 0 8-8z"/></svg>';
  var forget = el('button', { type: 'button', class: 'icon', 'aria-label': 'Forget everything I said', title: 'Forget me' });
  forget.innerHTML = '<svg viewBox="0 0 24 24" aria-hidden="true"><path d="M9 3h6l1 2h4v2H4V5h4l1-2zm-3 6h12l-1 12H7L6 9z"/></svg>';
  var close = el('button', { type: 'button', 'aria-label': 'Close chat' }, '×');
  header.appendChild(avatar); header.appendChild(title); header.appendChild(restart); header.appendChild(forget); header.appendChild(close);
  var log = el('div', { class: 'log', role: 'log', 'aria-live': 'polite', 'aria-relevant': 'additions', tabindex: '0' });
  var form = el('form');
  var label = el('label', { class: 'sr', for: 'pc-input' }, 'Message ' + (characterName || 'the bot'));
  var input = el('textarea', { id: 'pc-input', rows: '1', placeholder: 'Type a message…', maxlength: maxMessageChars, autocomplete: 'off' });
  var send = el('button', { type: 'submit' }, 'Send');
  form.appendChild(label); form.appendChild(input); form.appendChild(send);
  panel.appendChild(header); panel.appendChild(log); panel.appendChild(form);
  root.appendChild(bubble); root.appendChild(panel);

  function theme(color, accent) {
    host.style.setProperty('--pc-color', /^#[0-9a-f]{6}$/i.test(color || '') ? color : '#4b3fd1');
    host.style.setProperty('--pc-accent', /^#[0-9a-f]{6}$/i.test(accent || '') ? accent : '#f7f7fb');
  }
  theme();

  /* Markdown subset -> DOM nodes, never HTML: **bold**, *italic*, `code`, [text](https://...) and bare links. */
  function renderMarkdown(target, text) {
    target.textContent = '';
    var pattern = /(\*\*([^*]+)\*\*|\*([^*\s][^*]*)\*|`([^`]+)`|\[([^\]]+)\]\((https?:\/\/[^\s)]+)\)|(https?:\/\/[^\s<]+))/g;
    var last = 0;
    var match;
    while ((match = pattern.exec(text))) {
      if (match.index > last) target.appendChild(document.createTextNode(text.slice(last, match.index)));
      var node;
      if (match[2]) node = el('strong', {}, match[2]);
      else if (match[3]) node = el('em', {}, match[3]);
      else if (match[4]) node = el('code', {}, match[4]);
      else {
        var href = match[6] || match[7];
        node = el('a', { href: href, target: '_blank', rel: 'noopener noreferrer nofollow' }, match[5] || match[7]);
      }
      target.appendChild(node);
      last = pattern.lastIndex;
    }
    if (last < text.length) target.appendChild(document.createTextNode(text.slice(last)));
  }

  function addMessage(role, text) {
    var node = el('div', { class: 'msg ' + role });
    if (role === 'bot') renderMarkdown(node, text); else node.textContent = text;
    log.appendChild(node);
    log.scrollTop = log.scrollHeight;
    return node;
  }

  var historyLoaded = false;
  function loadHistory() {
    if (historyLoaded) return;
    historyLoaded = true;
    // The session id is a secret: in a header, not in the URL (URLs are logged).
    fetch(base + '/api/history', { headers: { 'x-session-id': session } })
      .then(function (r) { return r.ok ? r.json() : { messages: [] }; })
      .then(function (body) {
        (body.messages || []).forEach(function (m) { addMessage(m.role === 'user' ? 'user' : 'bot', m.text); });
      })
      .catch(function () { historyLoaded = false; });
  }

  fetch(base + '/api/characters').then(function (r) { return r.json(); }).then(function (body) {
    var list = body.characters || [];
    var found = list.filter(function (c) { return c.name.toLowerCase() === characterName.toLowerCase(); })[0] || list[0];
    if (!found) return;
    if (!characterName) characterName = found.name;
    title.firstChild.textContent = found.name;
    avatar.textContent = found.name.charAt(0).toUpperCase();
    theme(found.color, found.accent);
  }).catch(function () { /* the widget still works with default colours */ });

  function setOpen(open) {
    panel.classList.toggle('open', open);
    bubble.setAttribute('aria-expanded', String(open));
    bubble.setAttribute('aria-label', open ? 'Close chat' : 'Open chat');
    if (open) { loadHistory(); input.focus(); } else bubble.focus();
  }
  bubble.addEventListener('click', function () { setOpen(!panel.classList.contains('open')); });
  close.addEventListener('click', function () { setOpen(false); });
  panel.addEventListener('keydown', function (event) { if (event.key === 'Escape') setOpen(false); });
  input.addEventListener('keydown', function (event) {
    if (event.key === 'Enter' && !event.shiftKey) { event.preventDefault(); form.requestSubmit(); }
  });

  var busy = false;
  // Each message carries its own id: sent again with "Retry", the server answers it once (from
  // memory if the first attempt was remembered before the connection broke), never twice.
  function deliver(text, messageId) {
    busy = true; send.disabled = true;
    var bot = addMessage('bot', '');
    bot.classList.add('pending');
    var reply = '';
    fetch(base + '/api/chat', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ sessionId: session, message: text, messageId: messageId, character: characterName || undefined }),
    }).then(function (response) {
      if (!response.ok) {
        return response.json().then(function (body) { throw new Error(body.error || ('HTTP ' + response.status)); });
      }
      var reader = response.body.getReader();
      var decoder = new TextDecoder();
      var buffer = '';
      var finished = false;
      function pump() {
        return reader.read().then(function (chunk) {
          if (chunk.done) {
            if (!finished) throw new Error('the connection closed before the reply was complete');
            return;
          }
          buffer += decoder.decode(chunk.value, { stream: true });
          var parts = buffer.split('\n\n');
          buffer = parts.pop();
          parts.forEach(function (part) {
            var name = (/^event: (.*)$/m.exec(part) || [])[1];
            var data = (/^data: (.*)$/m.exec(part) || [])[1];
            if (!name || !data) return;
            var payload = JSON.parse(data);
            if (name === 'token') { reply += payload.text; bot.textContent = reply; log.scrollTop = log.scrollHeight; }
            else if (name === 'done') { finished = true; reply = payload.reply; renderMarkdown(bot, reply); }
            else if (name === 'error') throw new Error(payload.error);
          });
          return pump();
        });
      }
      return pump();
    }).catch(function (error) {
      bot.remove();
      var note = addMessage('error', 'Message not answered: ' + error.message);
      var again = el('button', { type: 'button' }, 'Retry');
      again.addEventListener('click', function () {
        if (busy) return;
        note.remove();
        deliver(text, messageId);
      });
      note.appendChild(again);
    }).then(function () {
      bot.classList.remove('pending');
      busy = false; send.disabled = false;
      input.focus();
    });
  }

  function post(path, body) {
    return fetch(base + path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })
      .then(function (response) {
        if (!response.ok) return response.json().then(function (answer) { throw new Error(answer.error || ('HTTP ' + response.status)); });
      });
  }

  // A new conversation clears the panel and the history the server shows for this session;
  // the bot's memory of the person stays (as /reset in Telegram and the terminal).
  restart.addEventListener('click', function () {
    if (busy) return;
    post('/api/reset', { sessionId: session }).then(function () {
      log.textContent = '';
      addMessage('note', 'New conversation. ' + (characterName || 'The bot') + ' still remembers you.');
    }).catch(function (error) {
      addMessage('error', 'Could not start a new conversation: ' + error.message);
    }).then(function () { input.focus(); });
  });

  // Forgetting cannot be undone: it is asked for here, then confirmed (as /forget confirm in Telegram).
  forget.addEventListener('click', function () {
    if (busy || root.querySelector('.msg.confirm')) return;
    var ask = addMessage('confirm', 'Make ' + (characterName || 'the bot') + ' forget everything you said, for good?');
    var yes = el('button', { type: 'button' }, 'Forget');
    var no = el('button', { type: 'button', class: 'cancel' }, 'Cancel');
    ask.appendChild(yes); ask.appendChild(no);
    yes.focus();
    no.addEventListener('click', function () { ask.remove(); input.focus(); });
    yes.addEventListener('click', function () {
      ask.remove();
      post('/api/forget', { sessionId: session, confirm: true }).then(function () {
        log.textContent = '';
        addMessage('note', 'Done. ' + (characterName || 'The bot') + ' will not recall anything you said before now.');
      }).catch(function (error) {
        addMessage('error', 'Could not forget: ' + error.message);
      }).then(function () { input.focus(); });
    });
  });

  form.addEventListener('submit', function (event) {
    event.preventDefault();
    var text = input.value.trim();
    if (!text || busy) return;
    input.value = '';
    addMessage('user', text);
    deliver(text, randomId());
  });

  (document.body || document.documentElement).appendChild(host);
})();
