// Language by stopwords and letters: English plus Spanish, French, German, Italian, Portuguese, Dutch.
import { inList } from '../lib/text';

const CODES: string[] = ['en', 'es', 'fr', 'de', 'it', 'pt', 'nl'];
const STOPWORDS: string[] = [
  " the a an and or but is are was were be been i you he she it we they me my your to of in on at for with this that what how why do does did not no yes have has can will would so just like about from there here very ",
  " el la los las un una y o pero es son está están estoy yo tú usted él ella nosotros me mi te que de en con por para no sí muy qué cómo por qué hola gracias pero también esto eso hay ",
  " le la les un une et ou mais est sont suis je tu il elle nous vous ils me mon ma te que qui de du des en dans avec pour pas oui très quoi comment bonjour merci aussi ce cette c'est ",
  " der die das ein eine und oder aber ist sind bin ich du er sie es wir ihr mich mein meine dich zu von in mit für nicht ja sehr was wie warum hallo danke auch auf dem den ",
  " il lo la i gli le un una e o ma è sono sei io tu lui lei noi voi mi mio mia ti che di da in con per non sì molto cosa come perché ciao grazie anche questo ",
  " o a os as um uma e ou mas é são estou sou eu tu você ele ela nós me meu minha te que de do da em com para não sim muito como porque olá obrigado também isso ",
  " de het een en of maar is zijn ben ik jij je hij zij wij jullie mij mijn jouw te van in met voor niet ja heel wat hoe waarom hallo dank ook dit dat ",
];

export function detectLanguage(text: string, tokens: string[]): string {
  const scores: f64[] = [0, 0, 0, 0, 0, 0, 0];
  for (let i = 0; i < tokens.length; i++) {
    for (let l = 0; l < CODES.length; l++) if (inList(tokens[i], STOPWORDS[l])) scores[l] += 1;
  }
  // Letters only some languages use.
  const lower = text.toLowerCase();
  if (lower.indexOf('ñ') >= 0 || lower.indexOf('¿') >= 0 || lower.indexOf('¡') >= 0) scores[1] += 2;
  if (lower.indexOf('ç') >= 0 && lower.indexOf('ão') < 0) scores[2] += 1;
  if (lower.indexOf('è') >= 0 || lower.indexOf('ê') >= 0 || lower.indexOf('à') >= 0) { scores[2] += 0.5; scores[4] += 0.3; }
  if (lower.indexOf('ß') >= 0 || lower.indexOf('ä') >= 0 || lower.indexOf('ö') >= 0 || lower.indexOf('ü') >= 0) scores[3] += 2;
  if (lower.indexOf('ã') >= 0 || lower.indexOf('õ') >= 0 || lower.indexOf('ção') >= 0) scores[5] += 2;
  if (lower.indexOf('ij') >= 0) scores[6] += 0.5;
  let best = -1;
  let top: f64 = 0;
  for (let l = 0; l < CODES.length; l++) {
    if (scores[l] > top) { top = scores[l]; best = l; }
  }
  // English wins ties: most chat here is English, and short texts are ambiguous.
  if (best > 0 && scores[0] == top) best = 0;
  return best < 0 ? (tokens.length == 0 ? 'und' : 'en') : CODES[best];
}
