/** A file found in what was dropped or picked, with its path there (`folder/sub/name.prof`, or its name). */
export interface PathFile {
  file: File;
  path: string;
}

const readBatch = (reader: FileSystemDirectoryReader) =>
  new Promise<FileSystemEntry[]>((resolve, reject) => reader.readEntries(resolve, reject));

const fileOf = (entry: FileSystemFileEntry) => new Promise<File>((resolve, reject) => entry.file(resolve, reject));

/** Dot files (`.DS_Store`, `.git`) are not profiles anyone dropped. */
const hidden = (name: string) => name.startsWith('.');

/**
 * Every file under the dropped entries (`DataTransferItem.webkitGetAsEntry`), folders walked with
 * a list of folders to read rather than recursion; a folder's reader hands out its entries in
 * batches until it returns none.
 */
export async function filesOfEntries(entries: FileSystemEntry[]): Promise<PathFile[]> {
  const out: PathFile[] = [];
  // Read in the order found: each folder's entries go to the end of the list.
  const todo = entries.filter((e) => !hidden(e.name));
  for (let k = 0; k < todo.length; k++) {
    const entry = todo[k];
    const path = entry.fullPath.replace(/^\//, '') || entry.name;
    if (entry.isFile) out.push({ file: await fileOf(entry as FileSystemFileEntry), path });
    else if (entry.isDirectory) {
      const reader = (entry as FileSystemDirectoryEntry).createReader();
      for (let batch = await readBatch(reader); batch.length; batch = await readBatch(reader))
        todo.push(...batch.filter((e) => !hidden(e.name)));
    }
  }
  return out;
}

/** Files picked with a folder picker (`webkitdirectory`), each with its path from the picked folder. */
export const pickedFolder = (files: File[]): PathFile[] =>
  files
    .filter((f) => !(f.webkitRelativePath || f.name).split('/').some(hidden))
    .map((file) => ({ file, path: file.webkitRelativePath || file.name }));

/** The folder a file is in (`runs/before` for `runs/before/1.prof`): its group in the set; '' for a loose file. */
export const groupOf = (path: string): string => path.slice(0, Math.max(0, path.lastIndexOf('/')));

const topFolder = (path: string): string => path.slice(0, Math.max(0, path.indexOf('/')));

/** A set's name: its top folders, or how many files it holds. */
export function setName(files: PathFile[]): string {
  const groups = [...new Set(files.map((f) => topFolder(f.path)).filter(Boolean))];
  const loose = files.filter((f) => !topFolder(f.path)).length;
  return [...groups, ...(loose ? [`${loose} file${loose === 1 ? '' : 's'}`] : [])].join(' + ') || 'no files';
}
