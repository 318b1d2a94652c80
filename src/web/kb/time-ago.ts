import { getLocale } from '../i18n';

/** "5 minutes ago", "yesterday", "3 months ago": when something happened, in words, for the knowledge base's lists. */
export function timeAgo(iso: string, now = Date.now(), locale: string = getLocale()): string {
  const rtf = new Intl.RelativeTimeFormat(locale, { numeric: 'auto' });
  const seconds = Math.round((new Date(iso).getTime() - now) / 1000);
  const abs = Math.abs(seconds);
  if (abs < 45) return rtf.format(0, 'second');
  const steps: [Intl.RelativeTimeFormatUnit, number][] = [
    ['minute', 60],
    ['hour', 3600],
    ['day', 86_400],
    ['week', 604_800],
    ['month', 2_629_800],
    ['year', 31_557_600],
  ];
  let unit = steps[0];
  for (const step of steps) if (abs >= step[1] * (step[0] === 'minute' ? 1 : 0.9)) unit = step;
  return rtf.format(Math.round(seconds / unit[1]), unit[0]);
}
