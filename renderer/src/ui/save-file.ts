// Hands an archived file (a reconciliation report, an incident report) to the
// browser, or Electron, to save: a download, never a navigation.
import type { ReportFile } from '../../../shared/api/reconciliation.ts';

export function saveFile(file: ReportFile) {
  const bytes = Uint8Array.from(atob(file.base64), (c) => c.charCodeAt(0));
  download(new Blob([bytes], { type: file.mimeType }), file.fileName);
}

/** A text the console wrote (an escalation packet, a weekly log) saved as a UTF-8 file. */
export const saveText = (text: string, fileName: string) => download(new Blob([text], { type: 'text/plain;charset=utf-8' }), fileName);

function download(blob: Blob, fileName: string) {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

const day = new Intl.DateTimeFormat('en-CA', { timeZone: 'Australia/Melbourne', year: 'numeric', month: '2-digit', day: '2-digit' });
/** The operator's calendar day (Melbourne, YYYY-MM-DD), as exported files are named: not the UTC day. */
export const melbourneDay = (at: Date | string) => day.format(new Date(at));
