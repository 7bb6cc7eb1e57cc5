// The protocol both analysis processes speak: Action=Analyze (text in Data) is answered by
// Action=Analyzed, Data = the analysis, echoed in Output. The answer goes to Reply-To only when
// the process's own Inference-Worker asked (so nobody else can make it feed Generation);
// otherwise to the sender when its From can be believed, else to the item's signer.
import { beginEvaluation, readCString, respond } from './abi';
import { dataOf, Json, Out, parseJson, quote, tagOf } from './json';
import { processTag, trustedFrom } from './trust';

function answerTo(msg: Json, env: Json): string {
  const from = trustedFrom(msg, env);
  if (from.length == 0) return msg.getString('Owner');
  const replyTo = tagOf(msg, 'Reply-To');
  const worker = processTag(env, 'Inference-Worker');
  return replyTo.length > 0 && worker.length > 0 && from == worker ? replyTo : from;
}

export function serveAnalysis(msgPtr: usize, envPtr: usize, name: string, analyze: (text: string) => string): usize {
  beginEvaluation(msgPtr, envPtr);
  const msg = parseJson(readCString(msgPtr));
  const env = parseJson(readCString(envPtr));
  const out = new Out();
  const action = tagOf(msg, 'Action');
  if (action == 'Analyze') {
    const data = analyze(dataOf(msg));
    out.send(answerTo(msg, env), [['Action', 'Analyzed'], ['Analysis', name], ['Turn-Id', tagOf(msg, 'Turn-Id')], ['Conversation', tagOf(msg, 'Conversation')]], data);
    out.output = quote(data);
  } else if (action == 'Info') {
    out.output = quote('{"name":"permachat-' + name + '","version":1,"accepts":["Analyze","Info"],"emits":["Analyzed"]}');
  } else {
    out.output = quote('ignored: unknown Action "' + action + '"');
  }
  return respond(out.render());
}
