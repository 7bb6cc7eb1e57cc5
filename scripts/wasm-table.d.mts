export function renameTableExport(binary: Uint8Array): Promise<Uint8Array>;
