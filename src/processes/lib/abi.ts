// The emscripten4 module ABI that @permaweb/ao-loader expects, for AssemblyScript modules:
// a stack the loader allocates the message and environment on, and NUL-terminated UTF-8 JSON in
// and out. All state lives in linear memory (static segments): the loader keeps only Memory.
const STACK_SIZE: usize = 1 << 20;
const STACK: usize = memory.data(<i32>STACK_SIZE, 16);
let sp: usize = STACK + STACK_SIZE;

export function __wasm_call_ctors(): void {}
export function emscripten_stack_init(): void { sp = STACK + STACK_SIZE; }
export function emscripten_stack_get_end(): usize { return STACK; }
export function emscripten_stack_get_current(): usize { return sp; }
export function _emscripten_stack_alloc(size: usize): usize { sp = (sp - size) & ~(<usize>15); return sp; }
export function _emscripten_stack_restore(value: usize): void { sp = value; }

/** Starts an evaluation: the heap of the previous one is dropped (nothing on it is state). */
export function beginEvaluation(): void {
  __reset();
}

export function readCString(ptr: usize): string {
  let end = ptr;
  while (load<u8>(end) != 0) end++;
  return String.UTF8.decodeUnsafe(ptr, end - ptr);
}

export function respond(json: string): usize {
  return changetype<usize>(String.UTF8.encode(json, true));
}
