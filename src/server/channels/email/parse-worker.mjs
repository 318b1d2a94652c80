// The entry of the mail parser's worker threads. Workers do not inherit the TypeScript
// loader of the thread that starts them (bin/heard.js, Vitest), so each registers it.
import { register } from 'tsx/esm/api';

register();
const { parseEmail } = await import('./parse.ts');

export default async function parse(raw) {
  return parseEmail(raw);
}
