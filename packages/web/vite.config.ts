import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// `npm run build -w @openphm/web` writes dist/, which @openphm/server serves at /.
// `npm run dev -w @openphm/web` serves the app with hot reload and proxies /api to a running `phm serve`.
export default defineConfig({
  plugins: [react()],
  base: '/',
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: true, chunkSizeWarningLimit: 600 },
  server: { proxy: { '/api': 'http://127.0.0.1:8080' } },
});
