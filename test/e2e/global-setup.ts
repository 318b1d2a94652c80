import { ensureBuilt } from './harness.js';

/** Builds the apps once, before any file starts: files run side by side and must not build at once. */
export default function setup() {
  ensureBuilt();
}
