/** The conversation service's CharacterRegistry (prompt, greeting, knowledge per character), built over the loaded CharacterSet. */
import type { CharacterSet } from '../character/character-set.js';
import type { LoadedCharacter } from '../character/types.js';
import type { CharacterHandle, CharacterRegistry } from '../conversation/service.js';
import { buildPrompt, buildStablePrompt, fillPlaceholders } from '../prompt/build-prompt.js';
import { createBm25Index, type Bm25Index } from '../text/bm25.js';

/** Passages of knowledge per turn: three of about 700 characters fit beside persona and memory. */
const KNOWLEDGE_PER_TURN = 3;

function greetingOf(character: LoadedCharacter): string {
  const configured = character.settings.greeting;
  if (typeof configured === 'string' && configured.trim()) return fillPlaceholders(configured, character.name, 'there');
  const intro = character.bio[0] ? ` ${fillPlaceholders(character.bio[0], character.name, 'you')}` : '';
  return `Hi, I'm ${character.name}.${intro}`;
}

export function handleFor(character: LoadedCharacter): CharacterHandle {
  let index: Bm25Index | undefined;
  return {
    name: character.name,
    bio: character.bio.map((line) => fillPlaceholders(line, character.name, 'you')).join(' '),
    ...(character.color ? { color: character.color } : {}),
    greeting: greetingOf(character),
    knowledge(text) {
      if (character.knowledge.length === 0) return [];
      index ??= createBm25Index(character.knowledge);
      return index.search(text, KNOWLEDGE_PER_TURN).map((i) => fillPlaceholders(character.knowledge[i] ?? '', character.name, 'the user'));
    },
    prompt: (request) => buildPrompt({ character, ...request }),
    stablePrompt: (request) => buildStablePrompt({ character, ...request }),
  };
}

export function createCharacterRegistry(set: CharacterSet): CharacterRegistry {
  const handles = new Map(set.all.map((character) => [character, handleFor(character)]));
  const handle = (character: LoadedCharacter) => handles.get(character) ?? handleFor(character);
  return {
    get: (name) => handle(set.get(name)),
    list: () => set.all.map(handle),
  };
}
