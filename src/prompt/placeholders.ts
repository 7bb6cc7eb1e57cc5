/** elizaOS placeholders: {{name}}/{{agentName}} are the character, {{user}}/{{user1}}/{{name1}} the person. */
export function fillPlaceholders(text: string, agentName: string, userName: string): string {
  return text
    .replace(/\{\{\s*(agentName|name|char)\s*\}\}/g, agentName)
    .replace(/\{\{\s*(user\d*|name\d+|userName)\s*\}\}/g, userName);
}
