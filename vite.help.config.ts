import { defineConfig } from 'vite';

// The help center's stylesheet and script: dist/help/help.css and dist/help/help.js, which
// Heard serves at /help/assets/ (src/server/helpcenter/assets.ts). The pages work without
// them; the script is one IIFE with no dependencies that leaves no globals behind.
export default defineConfig({
  root: 'src/help',
  publicDir: false,
  build: {
    outDir: '../../dist/help',
    emptyOutDir: true,
    sourcemap: false,
    target: 'es2020',
    cssTarget: ['chrome111', 'firefox113', 'safari16.4'],
    lib: { entry: 'help.ts', formats: ['iife'], name: 'HeardHelp', fileName: () => 'help.js', cssFileName: 'help' },
  },
});
