/** A character after loading: elizaOS fields normalised to one shape the rest of permachat uses. */
export interface ExampleMessage {
  name: string;
  text: string;
}

export interface LoadedCharacter {
  name: string;
  username?: string;
  system?: string;
  bio: string[];
  topics: string[];
  adjectives: string[];
  knowledge: string[];
  style: { all: string[]; chat: string[]; post: string[] };
  messageExamples: ExampleMessage[][];
  postExamples: string[];
  plugins: string[];
  settings: Record<string, unknown>;
  secrets: Record<string, string | number | boolean>;
  /** Widget theme colour from settings.widget.color (#RRGGBB). */
  color?: string;
  /** The file it came from, or a label. */
  source: string;
  /** What was migrated or dropped on load, for the operator. */
  notices: string[];
}

/** One problem in a character file: where (a field path like messageExamples[0][1].content.text) and what. */
export interface CharacterProblem {
  path: string;
  problem: string;
}

/** A character file's object, or a part of one, before validation says what it holds. */
export type JsonObject = Record<string, unknown>;
