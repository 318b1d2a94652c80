import tailwindcss from '@tailwindcss/vite';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The agent app: built into dist/web and served by Heard at /app (src/server/app.ts).
// `npm run dev:web` serves it with hot reload and sends the API and sockets to a running Heard.
export default defineConfig({
  root: 'src/web',
  base: '/app/',
  plugins: [react(), tailwindcss()],
  build: {
    outDir: '../../dist/web',
    emptyOutDir: true,
    sourcemap: false,
    chunkSizeWarningLimit: 900,
  },
  server: {
    proxy: {
      '/api': 'http://127.0.0.1:3000',
      '/socket.io': { target: 'http://127.0.0.1:3000', ws: true },
    },
  },
});
