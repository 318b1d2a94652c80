/** The languages whose words the help center's search can stem (PostgreSQL's snowball configurations); `simple` only lower-cases. */
export const HELP_LANGUAGES = ['english', 'german', 'french', 'spanish', 'italian', 'portuguese', 'dutch', 'danish', 'swedish', 'norwegian', 'finnish', 'russian', 'turkish', 'simple'] as const;
export type HelpLanguage = (typeof HELP_LANGUAGES)[number];

/** The catalogs the help center's own strings come in. */
export const HELP_LOCALES = ['en', 'de'] as const;
export type HelpLocale = (typeof HELP_LOCALES)[number];
