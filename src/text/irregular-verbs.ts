/**
 * An irregular verb's past forms onto its base ("went" → "go", "bought" → "buy"), which the
 * Porter stemmer cannot do: a question asks "When did Ana go camping?" of a message that says
 * "we went camping". The list is npm's `english-verbs-irregular` (RosaeNLG, Apache-2.0).
 */
import { createRequire } from 'node:module';

/** The package's data: base form → its [past, past participle] pairs. */
type VerbForms = Record<string, string[][]>;

function loadVerbs(): VerbForms {
  // A JSON file of the package, read the way Node reads JSON modules (no import attributes in ES2022).
  const data: unknown = createRequire(import.meta.url)('english-verbs-irregular/dist/verbs.json');
  if (typeof data !== 'object' || data === null) throw new Error('english-verbs-irregular: verbs.json is not an object; reinstall the package');
  return data as VerbForms;
}

/**
 * Past form → base. A form that is itself a verb's base ("lay", past of "lie") keeps its own
 * meaning, and the first verb to claim a form keeps it.
 */
export function pastToBase(verbs: VerbForms): Map<string, string> {
  const base = new Map<string, string>();
  for (const [verb, forms] of Object.entries(verbs)) {
    for (const form of forms.flat()) if (form !== verb && !(form in verbs) && !base.has(form)) base.set(form, verb);
  }
  return base;
}

const BASES = pastToBase(loadVerbs());

/** The base of an irregular verb's past form; the word itself otherwise. */
export function verbBase(word: string): string {
  return BASES.get(word) ?? word;
}
