// Training-time entry: the Sentiment module's own feature code, exported for the training
// script. One line per message: "<rule compound> <hash> <hash> …".
import { clauseWords } from '../../ao-processes/lib/text';
import { chatText } from '../../ao-processes/sentiment/chat-text';
import { featureHashes } from '../../ao-processes/sentiment/features';
import { normalise, ruleScore } from '../../ao-processes/sentiment/rules';

export function featureLine(original: string): string {
  const text = chatText(original);
  const parsed = clauseWords(text);
  const rule = ruleScore(text, parsed);
  const hashes = featureHashes(text, parsed);
  const parts: string[] = [normalise(rule.sum).toString()];
  for (let i = 0; i < hashes.length; i++) parts.push(hashes[i].toString());
  return parts.join(' ');
}
