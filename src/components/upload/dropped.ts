/**
 * Files out of a drop or a picker, with their paths inside a dropped folder.
 * A folder dropped on the page arrives as a FileSystemDirectoryEntry
 * (`DataTransferItem.webkitGetAsEntry`), read here recursively; a folder chosen
 * with `<input webkitdirectory>` gives files with `webkitRelativePath`.
 * Browser only (DOM types).
 */
export interface DroppedFile {
  file: File;
  path: string;
}

/** Files in folders deeper than this are not listed (a dropped home folder must not hang the tab). */
const MAX_FILES = 5000;

export function fromInput(list: FileList | null): { files: DroppedFile[]; fromFolder: boolean } {
  const files = [...(list ?? [])].map((file) => ({ file, path: file.webkitRelativePath || file.name }));
  return { files, fromFolder: files.some((f) => f.path.includes('/')) };
}

export async function fromDataTransfer(dt: DataTransfer): Promise<{ files: DroppedFile[]; fromFolder: boolean }> {
  // Entries must be taken synchronously, before the first await: the DataTransfer empties afterwards.
  const entries = [...dt.items].map((i) => (i.kind === 'file' ? i.webkitGetAsEntry?.() : null));
  const plain = [...dt.files];
  if (!entries.some((e) => e?.isDirectory)) return { files: plain.map((file) => ({ file, path: file.name })), fromFolder: false };
  const out: DroppedFile[] = [];
  for (const e of entries) if (e) await walk(e, '', out);
  return { files: out, fromFolder: true };
}

async function walk(entry: FileSystemEntry, prefix: string, out: DroppedFile[]): Promise<void> {
  if (out.length >= MAX_FILES) return;
  const path = prefix ? `${prefix}/${entry.name}` : entry.name;
  if (entry.isFile) {
    const file = await new Promise<File>((ok, fail) => (entry as FileSystemFileEntry).file(ok, fail));
    out.push({ file, path });
    return;
  }
  const reader = (entry as FileSystemDirectoryEntry).createReader();
  // readEntries hands out at most ~100 entries per call; call until it returns none.
  for (;;) {
    const batch = await new Promise<FileSystemEntry[]>((ok, fail) => reader.readEntries(ok, fail));
    if (!batch.length) break;
    for (const child of batch) await walk(child, path, out);
  }
}
