/** A readable summary of what the bot remembers of one user (/memory, the memory-recall plugin). */
import type { MemoryPort } from './ports.js';

export async function describeMemory(memory: MemoryPort, userKey: string): Promise<string> {
  const { recent, facts } = await memory.recall(userKey, '', { recent: 3, relevant: 0, acrossResets: true });
  if (recent.length === 0 && facts.length === 0) return 'I do not remember anything about you yet.';
  const lines = ['Here is what I remember about you:'];
  for (const fact of facts) lines.push(`• ${fact}`);
  if (recent.length > 0) lines.push(`Our last messages: ${recent.map((turn) => `“${turn.userText}”`).join(', ')}`);
  return lines.join('\n');
}
