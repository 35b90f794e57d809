// Hands an archived file (a reconciliation report, an incident report) to the
// browser, or Electron, to save: a download, never a navigation.
import type { ReportFile } from '../../../shared/api/reconciliation.ts';

export function saveFile(file: ReportFile) {
  const bytes = Uint8Array.from(atob(file.base64), (c) => c.charCodeAt(0));
  const url = URL.createObjectURL(new Blob([bytes], { type: file.mimeType }));
  const a = document.createElement('a');
  a.href = url;
  a.download = file.fileName;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
