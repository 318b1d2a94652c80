/**
 * Separates what the sender wrote now from the history their mail client quoted below it
 * and from their signature, so the timeline shows the new text (with "show quoted").
 * A forwarded message is content, not history: it is never cut.
 */

export interface Split {
  fresh: string;
  quoted?: string;
}

/** Lines that open the quoted history in the clients people use (English, German, French, Spanish, Dutch). */
const ATTRIBUTION = [
  /^On\b.{0,300}\bwrote:\s*$/i,
  /^Am\b.{0,300}\bschrieb.{0,100}:\s*$/i,
  /^Le\b.{0,300}\ba écrit\s*:\s*$/i,
  /^El\b.{0,300}\bescribió:\s*$/i,
  /^Op\b.{0,300}\bgeschreven:\s*$/i,
  /^-{2,}\s*Original Message\s*-{2,}\s*$/i,
  /^-{2,}\s*Ursprüngliche Nachricht\s*-{2,}\s*$/i,
  /^_{10,}\s*$/,
];
const OUTLOOK_HEADER = /^\*?(From|Von|De|Van):\*?\s.+/i;
const OUTLOOK_NEXT = /^\*?(Sent|Date|Gesendet|Envoyé|Enviado|Verzonden|To|An|À|Para|Aan):\*?\s/i;
const FORWARD = /^(-{5,}\s*Forwarded message\s*-{5,}|Begin forwarded message:|-{2,}\s*Weitergeleitete Nachricht\s*-{2,}|-{2,}\s*Message transféré\s*-{2,})/i;
const SIGNATURE = [/^-- ?$/, /^Sent from my (iPhone|iPad|Android|mobile|Galaxy|BlackBerry).*$/i, /^Get Outlook for (iOS|Android).*$/i, /^Von meinem iPhone gesendet$/i];

export function splitQuotedText(text: string): Split {
  const lines = text.split('\n');
  let cut = lines.length;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].trim();
    const joined = i + 1 < lines.length ? `${line} ${lines[i + 1].trim()}` : line;
    // "On Tue, 3 Mar 2026 at 10:00, Ann <ann@x>\nwrote:": some clients wrap the attribution.
    if (ATTRIBUTION.some((re) => re.test(line) || (/^(On|Am|Le|El|Op)\b/.test(line) && re.test(joined)))) {
      cut = i;
      break;
    }
    if (OUTLOOK_HEADER.test(line) && lines.slice(i + 1, i + 4).some((l) => OUTLOOK_NEXT.test(l.trim()))) {
      cut = i;
      break;
    }
    if (SIGNATURE.some((re) => re.test(lines[i]))) {
      cut = i;
      break;
    }
    // A block of "> " lines that runs to the end (or to only a signature) is quoted history.
    if (line.startsWith('>') && lines.slice(i).every((l) => !l.trim() || l.trim().startsWith('>') || SIGNATURE.some((re) => re.test(l)))) {
      cut = i;
      break;
    }
  }
  // A forwarded message above the cut is the content itself, headers and all.
  if (lines.slice(0, cut).some((l) => FORWARD.test(l.trim()))) return { fresh: text.trim() };
  const fresh = lines.slice(0, cut).join('\n').trim();
  const quoted = lines.slice(cut).join('\n').trim();
  // A message that is nothing but a quote (someone replied above an empty line): keep it whole.
  if (!fresh) return { fresh: text.trim() };
  return { fresh, quoted: quoted || undefined };
}

/** Where mail clients start the quoted history in HTML. */
const HTML_MARKERS = [
  /<div[^>]*class="[^"]*\bgmail_quote\b/i,
  /<div[^>]*class="[^"]*\bgmail_signature\b/i,
  /<blockquote[^>]*type="?cite/i,
  /<div[^>]*id="?divRplyFwdMsg/i,
  /<div[^>]*id="?appendonsend/i,
  /<hr[^>]*id="?stopSpelling/i,
  /<div[^>]*class="[^"]*\bmoz-cite-prefix\b/i,
  /<div[^>]*class="[^"]*\byahoo_quoted\b/i,
  /<div[^>]*class="?OutlookMessageHeader/i,
  /<div[^>]*style="[^"]*border:none;\s*border-top:solid #(?:E1E1E1|B5C4DF)/i,
  /-{2,}\s*Original Message\s*-{2,}/i,
  /<div[^>]*class="[^"]*\bmoz-signature\b/i,
  // Apple Mail on iOS marks where its signature starts.
  /<br[^>]*id="?lineBreakAtBeginningOfSignature/i,
  /(<(div|p|span)[^>]*>\s*)*Sent from my (iPhone|iPad|Android|mobile|Galaxy|BlackBerry)/i,
  /(<(div|p|span)[^>]*>\s*)*Get Outlook for (iOS|Android)/i,
];
/** The attribution line that precedes a quote in Apple Mail and Thunderbird, left at the end of the new part. */
const TRAILING_ATTRIBUTION = /(<(div|p)[^>]*>\s*)?(On|Am|Le|El)\b[^<]{5,300}\b(wrote|schrieb|a écrit|escribió)\s*:?\s*(<br\s*\/?>\s*)*(<\/(div|p)>\s*)?(<br\s*\/?>\s*)*$/i;

export function splitQuotedHtml(html: string): Split {
  // Forwarded messages are the content itself.
  const forward = html.search(/-{5,}\s*Forwarded message\s*-{5,}|Begin forwarded message:/i);
  let cut = -1;
  for (const re of HTML_MARKERS) {
    const m = re.exec(html);
    if (m && (cut === -1 || m.index < cut)) cut = m.index;
  }
  if (cut === -1 || (forward !== -1 && forward < cut)) return { fresh: html };
  let fresh = html.slice(0, cut);
  const attribution = TRAILING_ATTRIBUTION.exec(fresh);
  if (attribution) fresh = fresh.slice(0, attribution.index);
  // Nothing written above the quote: keep the whole message rather than show an empty one.
  if (!fresh.replace(/<[^>]*>/g, '').replace(/&nbsp;|\s/g, '')) return { fresh: html };
  return { fresh, quoted: html.slice(fresh.length) };
}
