import type { HelpCenter } from '../domains/help-center/service.js';
import type { Translate } from './i18n/index.js';

/** Who is looking at a help center page. */
export interface Viewer {
  /** A customer signed in to the portal. */
  customer: { id: string; name: string; sessionId: string; /** What the community shows of them; '' until they choose one. */ communityName: string } | null;
  /** A member of the help center's workspace, signed in to the agent app: sees staff controls. */
  member: { id: string; name: string; /** May answer as staff and moderate (not a light member, not a read-only token). */ moderates: boolean } | null;
}

/** What every page is rendered with. */
export interface PageContext {
  hc: HelpCenter;
  t: Translate;
  /** The help center's path, /help/<slug>. */
  base: string;
  publicUrl: string;
  lang: string;
  viewer: Viewer;
  /** A fresh token for one form (forms.ts). */
  formToken(): string;
  assets: { css: string; js: string };
  /** The path of this page, for "sign in and come back here". */
  path: string;
  /** The feedback wall has at least one item: the navigation links to it. */
  feedbackWall: boolean;
}
