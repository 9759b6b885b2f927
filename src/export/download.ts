/** Saves a Blob as a file through a temporary link; nothing leaves the machine. */
export function download(blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** The profile's file name without its extension, for naming exports. */
export const baseName = (fileName: string): string => fileName.replace(/\.[^.]*$/, '') || 'profile';
