// Generation process: joins the two analyses of a turn (same Turn-Id), asks the inference
// worker for a reply (Inference-Request with the reply plan), accepts the Inference-Result
// only from the authorised worker, then emits Reply. The turn table lives in linear memory.
import { beginEvaluation, readCString, respond } from '../lib/abi';
import { dataOf, Json, Out, parseJson, quote, tagOf } from '../lib/json';
import { processTag, trustedFrom } from '../lib/trust';
import { planFor } from './plan';
import { compactSentiment, compactUnderstanding } from './compact';
import { claimSlot, completedTurns, findSlot, isDone, markDone, pendingTurns, SLOTS, U_MAX } from './state';
export { __wasm_call_ctors, emscripten_stack_init, emscripten_stack_get_end, emscripten_stack_get_current, _emscripten_stack_alloc, _emscripten_stack_restore } from '../lib/abi';

function onAnalyzed(msg: Json, env: Json, out: Out): void {
  const from = trustedFrom(msg, env);
  if (from.length == 0) {
    out.output = quote('refused: Analyzed claiming to be from ' + msg.getString('From') + ', signed by ' + msg.getString('Owner') + ', neither that process nor an Authority');
    return;
  }
  const fromUnderstanding = from == processTag(env, 'Understanding-Process');
  const fromSentiment = from == processTag(env, 'Sentiment-Process');
  if (!fromUnderstanding && !fromSentiment) {
    out.output = quote('refused: Analyzed from ' + from + ', which is neither the Understanding nor the Sentiment process');
    return;
  }
  const turnId = tagOf(msg, 'Turn-Id');
  if (turnId.length == 0) { out.output = quote('refused: Analyzed without Turn-Id'); return; }
  if (isDone(turnId)) { out.output = quote('duplicate for finished turn ' + turnId + ': ignored'); return; }
  let slot = findSlot(turnId);
  if (slot == null) slot = claimSlot(turnId);
  if (fromUnderstanding) slot.setUnderstanding(compactUnderstanding(dataOf(msg), U_MAX)); else slot.setSentiment(compactSentiment(dataOf(msg)));
  if (!slot.hasUnderstanding || !slot.hasSentiment || slot.requested) {
    out.output = quote('turn ' + turnId + ': waiting for the other analysis');
    return;
  }
  const worker = processTag(env, 'Inference-Worker');
  const understanding = slot.understanding;
  const sentiment = slot.sentiment;
  const data = '{"turnId":' + quote(turnId) + ',"understanding":' + understanding + ',"sentiment":' + sentiment + ',"plan":' + planFor(understanding, sentiment) + '}';
  out.send(worker, [['Action', 'Inference-Request'], ['Turn-Id', turnId], ['Conversation', tagOf(msg, 'Conversation')]], data);
  slot.markRequested();
  out.output = quote('turn ' + turnId + ': inference requested');
}

function onInferenceResult(msg: Json, env: Json, out: Out): void {
  const from = msg.getString('From');
  const owner = msg.getString('Owner');
  const worker = processTag(env, 'Inference-Worker');
  const turnId = tagOf(msg, 'Turn-Id');
  // The worker's own signature, not a From-Process tag anyone can set.
  if (worker.length == 0 || owner != worker || from != worker) {
    out.send(owner, [['Action', 'Error'], ['Turn-Id', turnId]], 'Inference-Result refused: only the authorised inference worker may answer');
    out.output = quote('refused: Inference-Result from ' + from + ' signed by ' + owner + ' (not the inference worker)');
    return;
  }
  if (isDone(turnId)) { out.output = quote('duplicate Inference-Result for turn ' + turnId + ': ignored'); return; }
  const slot = findSlot(turnId);
  if (slot == null || !slot.requested) {
    out.output = quote('refused: no inference was requested for turn ' + turnId);
    return;
  }
  const result = parseJson(dataOf(msg));
  const bot = processTag(env, 'Bot');
  const data = '{"turnId":' + quote(turnId) + ',"replyHash":' + quote(result.getString('replyHash')) + ',"tokens":' + result.getNumber('tokens').toString() + ',"status":"complete"}';
  out.send(bot.length > 0 ? bot : worker, [['Action', 'Reply'], ['Turn-Id', turnId]], data);
  slot.release();
  markDone(turnId);
  out.output = quote('turn ' + turnId + ': complete');
}

export function handle(msgPtr: usize, envPtr: usize): usize {
  beginEvaluation(msgPtr, envPtr);
  const msg = parseJson(readCString(msgPtr));
  const env = parseJson(readCString(envPtr));
  const out = new Out();
  const action = tagOf(msg, 'Action');
  if (action == 'Analyzed') onAnalyzed(msg, env, out);
  else if (action == 'Inference-Result') onInferenceResult(msg, env, out);
  else if (action == 'Info') {
    out.output = quote('{"name":"permachat-generation","version":1,"accepts":["Analyzed","Inference-Result","Info"],"emits":["Inference-Request","Reply","Error"],"pendingTurns":' +
      pendingTurns().toString() + ',"completedTurns":' + completedTurns().toString() + ',"slots":' + SLOTS.toString() + '}');
  } else out.output = quote('ignored: unknown Action "' + action + '"');
  return respond(out.render());
}
