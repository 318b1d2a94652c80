import { RATINGS, type Rating } from './schema.js';

/** A survey's line for one rating, as send-survey writes it: "Good: https://…/survey/<token>?rating=good". */
const LINE = /^(.{1,60}): (https?:\/\/\S+\/survey\/[A-Za-z0-9_-]{43}\?rating=(good|okay|bad))$/;

export interface SurveyLinks {
  intro: string;
  links: { rating: Rating; label: string; url: string }[];
  outro: string;
}

/**
 * The parts of a survey message's text: the words around it and its three links, for a
 * channel that shows them as buttons (the widget), or undefined for a text that is not one.
 */
export function surveyLinks(text: string): SurveyLinks | undefined {
  const [intro, block, ...rest] = text.split('\n\n');
  const links = (block ?? '').split('\n').flatMap((line) => {
    const m = LINE.exec(line);
    return m ? [{ rating: m[3] as Rating, label: m[1], url: m[2] }] : [];
  });
  if (links.length !== RATINGS.length) return undefined;
  return { intro, links, outro: rest.join('\n\n') };
}

/** The survey as the team sees it: its words and the ratings offered, without the links, which are the customer's to use. */
export function surveyForTeam(text: string): string {
  const s = surveyLinks(text);
  return s ? [s.intro, s.links.map((l) => l.label).join(' · '), s.outro].filter(Boolean).join('\n\n') : text;
}
