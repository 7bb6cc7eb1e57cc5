// The protocol both analysis processes speak: Action=Analyze (text in Data) is answered by
// Action=Analyzed to Reply-To (else the sender), Data = the analysis, echoed in Output.
import { beginEvaluation, readCString, respond } from './abi';
import { dataOf, Out, parseJson, quote, tagOf } from './json';

export function serveAnalysis(msgPtr: usize, name: string, analyze: (text: string) => string): usize {
  beginEvaluation();
  const msg = parseJson(readCString(msgPtr));
  const out = new Out();
  const action = tagOf(msg, 'Action');
  if (action == 'Analyze') {
    const data = analyze(dataOf(msg));
    const replyTo = tagOf(msg, 'Reply-To');
    const target = replyTo.length > 0 ? replyTo : msg.getString('From');
    out.send(target, [['Action', 'Analyzed'], ['Analysis', name], ['Turn-Id', tagOf(msg, 'Turn-Id')], ['Conversation', tagOf(msg, 'Conversation')]], data);
    out.output = quote(data);
  } else if (action == 'Info') {
    out.output = quote('{"name":"permachat-' + name + '","version":1,"accepts":["Analyze","Info"],"emits":["Analyzed"]}');
  } else {
    out.output = quote('ignored: unknown Action "' + action + '"');
  }
  return respond(out.render());
}
