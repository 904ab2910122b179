// Builds the portal into dist/ (served by `atelier serve` from its web_root) and runs the unit
// tests. `npm run dev` proxies the API to a local server (ATELIER_URL, default port 8080).
import { fileURLToPath } from 'node:url';
import vue from '@vitejs/plugin-vue';
import { defineConfig } from 'vitest/config';

const apiTarget = process.env.ATELIER_URL ?? 'http://127.0.0.1:8080';

export default defineConfig({
  plugins: [vue()],
  define: {
    // vue-i18n: Composition API only, no devtools hooks in the build.
    __VUE_I18N_FULL_INSTALL__: true,
    __VUE_I18N_LEGACY_API__: false,
    __INTLIFY_PROD_DEVTOOLS__: false,
  },
  resolve: {
    alias: { '@': fileURLToPath(new URL('./src', import.meta.url)) },
  },
  server: {
    proxy: {
      '/api': apiTarget,
      '/oauth2': apiTarget,
      '/.well-known': apiTarget,
    },
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: false,
    chunkSizeWarningLimit: 600,
  },
  test: {
    environment: 'jsdom',
    include: ['tests/**/*.test.ts'],
    restoreMocks: true,
  },
});
