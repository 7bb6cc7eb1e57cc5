// ao-loader looks the function table up as `__indirect_function_table`; AssemblyScript exports
// it as `table`. This renames the export in a compiled module (through wabt's text form).
import wabtInit from 'wabt';

export async function renameTableExport(binary) {
  const wabt = await wabtInit();
  const module = wabt.readWasm(binary, { readDebugNames: false });
  const text = module.toText({}).replace(/\(export "table" \(table (\d+)\)\)/, '(export "__indirect_function_table" (table $1))');
  module.destroy();
  const parsed = wabt.parseWat('module.wat', text);
  const { buffer } = parsed.toBinary({});
  parsed.destroy();
  return new Uint8Array(buffer);
}
