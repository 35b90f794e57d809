// The finished incident report as the spec's text file
// (incident_YYYY-MM-DD_<kind>.txt) and a one-page PDF a person reads
// (pdf-lib draws it, like the reconciliation reports), both from the same
// fields and timeline, in Melbourne time.
import { PDFDocument, type PDFFont, rgb, StandardFonts } from 'pdf-lib';
import { PLAYBOOK, type PlaybookKind, type ReportFields, type TimelineEvent } from '../../../../../shared/api/playbooks.ts';
import { PLAYBOOK_WORDS } from './words.ts';

const MELBOURNE = 'Australia/Melbourne';
const stamp = new Intl.DateTimeFormat('en-AU', {
  timeZone: MELBOURNE,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
  timeZoneName: 'short',
});
const day = new Intl.DateTimeFormat('en-CA', { timeZone: MELBOURNE, year: 'numeric', month: '2-digit', day: '2-digit' });

/** "2025-12-25 14:32 AEDT": the spec's way of writing a time. */
export function melbourneTime(at: Date | string): string {
  const p = Object.fromEntries(stamp.formatToParts(new Date(at)).map((x) => [x.type, x.value]));
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute} ${p.timeZoneName}`;
}

/** The Melbourne calendar day, 2025-12-25. */
export const melbourneDay = (at: Date | string) => day.format(new Date(at));

/** incident_2025-12-25_z-ai-down: the Melbourne day the incident started and the playbook. */
export const reportName = (playbook: PlaybookKind, startedAt: string) => `incident_${melbourneDay(startedAt)}_${PLAYBOOK_WORDS[playbook].file}`;

/** "30 minutes", "2 hours 5 minutes"; null when it is not resolved. */
export function duration(startedAt: string, resolvedAt: string | null): string | null {
  if (!resolvedAt) return null;
  const minutes = Math.max(0, Math.round((Date.parse(resolvedAt) - Date.parse(startedAt)) / 60_000));
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  const words = (n: number, unit: string) => `${n} ${unit}${n === 1 ? '' : 's'}`;
  return h ? `${words(h, 'hour')}${m ? ` ${words(m, 'minute')}` : ''}` : words(m, 'minute');
}

export interface ReportInput {
  incidentId: string;
  playbook: PlaybookKind;
  fields: ReportFields;
  timeline: TimelineEvent[];
  finishedAt: string;
  finishedBy: string;
}

/** The report's lines: label and value (values may have several lines). */
function sections(r: ReportInput): [string, string][] {
  const f = r.fields;
  const def = PLAYBOOK[r.playbook];
  return [
    ['Playbook', `${def.section} ${def.title} (${def.severity})`],
    ['Start time', melbourneTime(f.startedAt)],
    ['Resolved', f.resolvedAt ? melbourneTime(f.resolvedAt) : 'not resolved when the report was finished'],
    ['Duration', duration(f.startedAt, f.resolvedAt) ?? 'ongoing'],
    ['Root cause', f.rootCause],
    ['Detection', f.detection],
    ['Response', f.response],
    ['Resolution', f.resolution],
    ['User impact', f.userImpact],
    ['Cost impact', f.costImpact],
  ];
}

export function reportText(r: ReportInput): string {
  const out = [`INCIDENT REPORT: ${r.fields.title}`, ''];
  for (const [label, value] of sections(r)) {
    const lines = (value.trim() || '-').split(/\r?\n/);
    // Several lines (the response's steps) go under their label, indented.
    if (lines.length === 1) out.push(`${label}: ${lines[0]}`);
    else out.push(`${label}:`, ...lines.map((l) => `  ${l}`));
  }
  out.push('', 'TIMELINE (Melbourne time)');
  for (const e of r.timeline) out.push(`${melbourneTime(e.at)}  ${e.text}`);
  out.push('', `Finished: ${melbourneTime(r.finishedAt)} by ${r.finishedBy}`, `Incident id: ${r.incidentId}`, '');
  return out.join('\n');
}

/** Standard PDF fonts draw WinAnsi only: anything else is shown as "?" rather than failing the report. */
const ansi = (s: string) =>
  s
    .replace(/[\u2013\u2014]/g, '-')
    .replace(/[\u2018\u2019]/g, "'")
    .replace(/[\u201c\u201d]/g, '"')
    .replace(/\u2026/g, '...')
    .replace(/[^\u0020-\u007e\u00a0-\u00ff]/g, '?');

/** Splits a paragraph into lines no wider than `width` at `size`. */
function wrap(text: string, font: PDFFont, size: number, width: number): string[] {
  const lines: string[] = [];
  for (const raw of text.split(/\r?\n/)) {
    const para = ansi(raw.replace(/\t/g, ' '));
    let line = '';
    for (const word of para.split(' ')) {
      const next = line ? `${line} ${word}` : word;
      if (line && font.widthOfTextAtSize(next, size) > width) {
        lines.push(line);
        line = word;
      } else line = next;
    }
    lines.push(line);
  }
  return lines;
}

export async function reportPdf(r: ReportInput, name: string): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  doc.setTitle(name);
  doc.setCreator('DTD Operator Console');
  doc.setCreationDate(new Date(r.finishedAt));
  doc.setModificationDate(new Date(r.finishedAt));
  const font = await doc.embedFont(StandardFonts.Helvetica);
  const bold = await doc.embedFont(StandardFonts.HelveticaBold);
  let page = doc.addPage([595, 842]); // A4
  let y = 790;
  const ink = rgb(0.1, 0.1, 0.1);
  const draw = (text: string, o: { size?: number; f?: PDFFont; x?: number; width?: number } = {}) => {
    const size = o.size ?? 9;
    for (const l of wrap(text, o.f ?? font, size, o.width ?? 495)) {
      if (y < 50) {
        page = doc.addPage([595, 842]);
        y = 790;
      }
      page.drawText(l, { x: o.x ?? 50, y, size, font: o.f ?? font, color: ink });
      y -= size + 4;
    }
  };
  draw('Dog Trainers Directory: incident report', { size: 15, f: bold });
  draw(r.fields.title, { size: 12 });
  draw(name, { size: 8 });
  y -= 4;
  // The fields as two columns: the label, and its value wrapped beside it.
  for (const [label, value] of sections(r)) {
    const top = y;
    draw(label, { f: bold, width: 100 });
    const below = y;
    y = top;
    draw(value.trim() || '-', { x: 150, width: 395 });
    y = Math.min(y, below) - 2;
  }
  y -= 4;
  draw('Timeline (Melbourne time)', { f: bold, size: 10 });
  for (const e of r.timeline) draw(`${melbourneTime(e.at)}  ${e.text}`, { x: 62, width: 483, size: 8 });
  y -= 4;
  draw(`Finished ${melbourneTime(r.finishedAt)} by ${r.finishedBy}. Incident ${r.incidentId}.`, { size: 8 });
  return doc.save({ useObjectStreams: false });
}

const hex = (buf: ArrayBuffer) => [...new Uint8Array(buf)].map((b) => b.toString(16).padStart(2, '0')).join('');
export const sha256 = async (data: Uint8Array) => hex(await crypto.subtle.digest('SHA-256', new Uint8Array(data)));
