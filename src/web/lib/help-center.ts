import { useQuery } from '@tanstack/react-query';
import { api } from './api';
import type { HelpLanguage, HelpLocale } from '../../shared/help-center';

/** The help center as GET /help-center answers it (src/server/domains/help-center/schema.ts). */
export interface HelpCenter {
  slug: string;
  /** Its public address, absolute: `<public URL>/help/<slug>`. */
  url: string;
  title: string;
  published: boolean;
  color: string;
  logoUrl: string | null;
  footer: string;
  locale: HelpLocale;
  language: HelpLanguage;
  portalInboxId: string | null;
  topics: Topic[];
  communityEnabled: boolean;
  /** Whether sign-in links and answers can go out by e-mail (an email inbox that can send exists). */
  canSendMail: boolean;
  updatedAt: string;
}

export interface Topic {
  id: string;
  name: string;
}

export { HELP_LANGUAGES, HELP_LOCALES, type HelpLanguage, type HelpLocale } from '../../shared/help-center';

export const helpCenterKey = ['help-center'] as const;

export function useHelpCenter() {
  return useQuery({ queryKey: helpCenterKey, queryFn: () => api<HelpCenter>('/help-center'), staleTime: 30_000 });
}

/** Where Heard is served publicly (HEARD_PUBLIC_URL, which may carry a path): the help center's address without `/help/<slug>`. */
function publicBase(hc: Pick<HelpCenter, 'url' | 'slug'>): string {
  const own = `/help/${hc.slug}`;
  return hc.url.endsWith(own) ? hc.url.slice(0, -own.length) : new URL(hc.url).origin;
}

/** A server path of the help center (an article's `url`, a thread's) as the absolute address customers use. */
export function publicAddress(hc: Pick<HelpCenter, 'url' | 'slug'>, path: string): string {
  return `${publicBase(hc)}${path}`;
}

/** The help center's address for another slug, as it will be once saved. */
export function helpCenterAddress(hc: Pick<HelpCenter, 'url' | 'slug'>, slug: string): string {
  return publicAddress(hc, `/help/${slug}`);
}
