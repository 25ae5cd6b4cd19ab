/// <reference types="vitest/config" />
// Builds the web UI into the gateway package's static folder (never committed). Hashed file
// names under assets/ are served with long cache lifetimes; index.html with no-cache.
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

export default defineConfig({
  plugins: [react()],
  base: '/',
  build: {
    outDir: '../src/ktxh_gateway/static',
    emptyOutDir: true,
    assetsDir: 'assets',
    chunkSizeWarningLimit: 2000,
    manifest: true,
    rolldownOptions: {
      // bench.html: the render-time benchmark page of bench/web.py (not linked from the app)
      input: { index: 'index.html', bench: 'bench.html' },
    },
  },
  server: {
    proxy: {
      '/api': 'http://127.0.0.1:8000',
      '/realms': 'http://127.0.0.1:8000',
      '/config.json': 'http://127.0.0.1:8000',
    },
  },
  test: {
    environment: 'jsdom',
    globals: true,
    setupFiles: ['src/testing/setup.ts'],
    css: false,
  },
});
