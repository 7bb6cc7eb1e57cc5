// Topics by keyword families: a small, transparent list that Generation and memory can use.
import { inList } from '../lib/text';

const TOPICS: string[] = [
  'sailing', " sail sailing sailboat boat boats yacht sea ocean harbor harbour knot knots mast anchor regatta tide tides ",
  'weather', " weather rain raining sunny snow snowing forecast storm wind windy hot cold temperature cloudy ",
  'food', " food eat eating dinner lunch breakfast cook cooking recipe pizza pasta coffee tea restaurant hungry bake baking ",
  'music', " music song songs band guitar piano concert album sing singing playlist spotify ",
  'travel', " travel trip flight flights vacation holiday hotel airport journey visit visiting abroad passport ",
  'work', " work job office boss meeting meetings career colleague colleagues salary project deadline interview ",
  'health', " health doctor sick ill pain headache hospital medicine exercise gym workout sleep sleeping tired diet ",
  'family', " family mom mum dad mother father sister brother son daughter kids children wife husband parents grandma grandpa ",
  'technology', " computer code coding programming software bug app phone laptop internet ai bot python javascript server website ",
  'money', " money pay paid price cost expensive cheap budget bank loan rent bills savings invest ",
  'movies', " movie movies film films cinema series show netflix actor episode ",
  'books', " book books read reading novel author library story stories ",
  'pets', " dog dogs cat cats puppy kitten pet pets parrot hamster rabbit ",
  'relationships', " girlfriend boyfriend partner date dating relationship crush married wedding breakup ",
  'education', " school study studying exam exams university college class homework teacher learn learning course ",
  'sports', " football soccer basketball tennis running run match game team score goal marathon cycling swim swimming ",
  'games', " gaming videogame videogames playstation xbox nintendo chess minecraft ",
];

export function findTopics(tokens: string[]): string[] {
  const found: string[] = [];
  for (let t = 0; t < TOPICS.length; t += 2) {
    for (let i = 0; i < tokens.length; i++) {
      if (inList(tokens[i], TOPICS[t + 1])) { found.push(TOPICS[t]); break; }
    }
  }
  return found;
}
