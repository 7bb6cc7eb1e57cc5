// The emscripten4 module ABI that @permaweb/ao-loader expects, for AssemblyScript modules:
// a stack the loader allocates the message and environment on, and NUL-terminated UTF-8 JSON in
// and out. All state lives in linear memory (static segments): the loader keeps only Memory.
//
// Memory growth: the loader's glue reads the result (and copies Memory) through typed-array
// views that it refreshes only when memory grows through its own `emscripten_resize_heap`. The
// runtime's bare `memory.grow` detaches those views, so the result read back as "" and the call
// failed with "Unexpected end of JSON input" (any message whose evaluation needed more heap than
// was free: ~800 characters for Sentiment, ~2,000 for Understanding). So every evaluation first
// reserves headroom through the glue, and if the runtime still grew memory, `respond` grows it
// once more through the glue so that the views are fresh when the loader reads them.
@external("env", "emscripten_resize_heap")
declare function emscripten_resize_heap(requestedSize: usize): i32;

const STACK_SIZE: usize = 1 << 20;
const STACK: usize = memory.data(<i32>STACK_SIZE, 16);
let sp: usize = STACK + STACK_SIZE;
const PAGE: usize = 65536;
/** Heap reserved per byte of input (message and environment): parsing, UTF-16 copies, analysis. */
const HEAP_PER_INPUT_BYTE: usize = 48;
const HEAP_BASE_RESERVE: usize = 512 * 1024;
let pagesAtBegin: i32 = 0;

export function __wasm_call_ctors(): void {}
export function emscripten_stack_init(): void { sp = STACK + STACK_SIZE; }
export function emscripten_stack_get_end(): usize { return STACK; }
export function emscripten_stack_get_current(): usize { return sp; }
export function _emscripten_stack_alloc(size: usize): usize {
  // Past the stack lies the process state: trap (the loader reports an Error, state unchanged)
  // rather than write over it.
  if (size > sp - STACK) unreachable();
  sp = (sp - size) & ~(<usize>15);
  return sp;
}
export function _emscripten_stack_restore(value: usize): void { sp = value; }

function cStringLength(ptr: usize): usize {
  let end = ptr;
  while (load<u8>(end) != 0) end++;
  return end - ptr;
}

/**
 * Starts an evaluation: the heap of the previous one is dropped (nothing on it is state), and
 * memory is grown through the loader's glue to fit what this input may allocate.
 */
export function beginEvaluation(msgPtr: usize, envPtr: usize): void {
  __reset();
  const inputBytes = cStringLength(msgPtr) + (envPtr == 0 ? 0 : cStringLength(envPtr));
  const wanted = __heap_base + HEAP_BASE_RESERVE + inputBytes * HEAP_PER_INPUT_BYTE;
  const have = <usize>memory.size() * PAGE;
  if (wanted > have) emscripten_resize_heap(wanted);
  pagesAtBegin = memory.size();
}

export function readCString(ptr: usize): string {
  return String.UTF8.decodeUnsafe(ptr, cStringLength(ptr));
}

export function respond(json: string): usize {
  const out = changetype<usize>(String.UTF8.encode(json, true));
  // The runtime grew memory past the reserve: grow one more page through the glue, which
  // refreshes the views the loader is about to read the result through.
  if (memory.size() != pagesAtBegin) emscripten_resize_heap(<usize>memory.size() * PAGE + 1);
  return out;
}
