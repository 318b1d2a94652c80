#!/usr/bin/env node
// The `heard` command. TypeScript sources are loaded through tsx so that the
// package runs from a checkout without a separate build step.
import { register } from 'tsx/esm/api';
register();
await import('../src/server/cli.ts');
