import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ConfigSchema } from '../../src/server/config.js';
import { CONFIG_DOCS_PATH, genConfigDocs } from '../../scripts/gen-config-docs.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

describe('docs/configuration.md', () => {
  it('is what `npm run docs:config` generates from ConfigSchema (run it after changing config.ts)', () => {
    const onDisk = fs.readFileSync(path.join(root, CONFIG_DOCS_PATH), 'utf8');
    expect(onDisk).toBe(genConfigDocs());
  });

  it('documents every variable, each with a description', () => {
    const text = genConfigDocs();
    for (const [name, field] of Object.entries(ConfigSchema.shape)) {
      expect(text).toContain(`## \`${name}\``);
      expect(field.description, `${name} needs .describe()`).toBeTruthy();
    }
  });

  it('shows types, constraints and defaults, flags as on/off', () => {
    const text = genConfigDocs(
      z.object({
        A_PORT: z.coerce.number().int().min(1).max(9).default(3).describe('A port.'),
        A_FLAG: z.enum(['0', '1', 'true', 'false', '']).transform((v) => v === '1' || v === 'true').default(true).describe('A flag.'),
        A_URL: z.string().regex(/^x:\/\//).optional().describe('A URL.'),
      }),
    );
    expect(text).toContain('## `A_PORT`\n\nA port.\n\n- Type: integer, 1 to 9\n- Default: `3`');
    expect(text).toContain('- Type: flag: `1` or `true` turns it on; `0` or `false` turns it off\n- Default: on');
    expect(text).toContain('- Type: string matching `^x://`\n- Default: not set');
  });
});
