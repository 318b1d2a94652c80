import { type Catalog, en } from './en.js';

/** Die deutschen Texte des Hilfe-Centers. */
export const de: Catalog = { ...en };
