import { defineConfig } from 'vite';

// The chat widget: one self-contained script, dist/widget/widget.js, that Heard serves at
// /widget.js (src/server/channels/widget/assets.ts). An IIFE with no exports: the only
// global it leaves is window.Heard, which it sets itself.
export default defineConfig({
  root: 'src/widget',
  publicDir: false,
  define: { 'process.env.NODE_ENV': JSON.stringify('production') },
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: {
    outDir: '../../dist/widget',
    emptyOutDir: true,
    sourcemap: false,
    target: 'es2020',
    lib: { entry: 'main.tsx', formats: ['iife'], name: 'HeardWidget', fileName: () => 'widget.js' },
  },
});
