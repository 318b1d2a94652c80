import { t } from '../i18n';
import { dateFormat } from './time';

/** A browser and system, in words, from a user agent string: "Chrome 131 on Windows". Empty when nothing is recognised. */
export function browserOf(ua: string | undefined): string {
  if (!ua) return '';
  const browsers: [string, RegExp][] = [
    ['Edge', /Edg(?:e|A|iOS)?\/(\d+)/],
    ['Opera', /OPR\/(\d+)/],
    ['Samsung Internet', /SamsungBrowser\/(\d+)/],
    ['Firefox', /(?:Firefox|FxiOS)\/(\d+)/],
    ['Chrome', /(?:Chrome|CriOS)\/(\d+)/],
    ['Safari', /Version\/(\d+)[\d.]* (?:Mobile\/\S+ )?Safari/],
  ];
  const systems: [string, RegExp][] = [
    ['iOS', /iPhone|iPad|iPod/],
    ['Android', /Android/],
    ['Windows', /Windows/],
    ['macOS', /Mac OS X|Macintosh/],
    ['ChromeOS', /CrOS/],
    ['Linux', /Linux/],
  ];
  const b = browsers.map(([name, re]) => [name, re.exec(ua)?.[1]] as const).find(([, v]) => v);
  const os = systems.find(([, re]) => re.test(ua))?.[0];
  const browser = b ? `${b[0]} ${b[1]}` : '';
  return browser && os ? t('visitor.browserOn', { browser, os }) : browser || os || '';
}

/** The time now where the visitor is, e.g. "14:05", or '' for an unknown zone. */
export function localTimeIn(timezone: string | undefined, now = new Date()): string {
  if (!timezone) return '';
  try {
    return dateFormat({ timeZone: timezone, hour: '2-digit', minute: '2-digit', weekday: 'short' }).format(now);
  } catch {
    return '';
  }
}
