/** The page at `/`: what a site owner sees, with the widget embedded by its one script tag. */
const escape = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export function demoPage(character: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>permachat — demo</title>
<style>
  body { font: 16px/1.5 system-ui, sans-serif; margin: 0; color: #1d1d1f; background: #f6f6f4; }
  main { max-width: 720px; margin: 0 auto; padding: 48px 24px; }
  code { background: #ecebe6; padding: 2px 6px; border-radius: 4px; }
  pre { background: #ecebe6; padding: 12px; border-radius: 8px; overflow-x: auto; }
</style>
</head>
<body>
<main>
  <h1>permachat</h1>
  <p>A chatbot that remembers you, permanently and privately: its memory is encrypted and kept on Arweave.</p>
  <p>Open the chat bubble in the corner. This page embeds it with one tag:</p>
  <pre><code>&lt;script src="/widget.js" data-character="${escape(character)}" async&gt;&lt;/script&gt;</code></pre>
</main>
<script src="/widget.js" data-character="${escape(character)}" async></script>
</body>
</html>`;
}
