import { defineConfig } from 'vitest/config';

export default defineConfig({
  // Generated app files import the client as users do; in this repository that is the source.
  resolve: { alias: { 'noex-client': new URL('./index.ts', import.meta.url).pathname } },
  test: {
    include: ['test/**/*.test.{ts,tsx}'],
    testTimeout: 15_000,
    hookTimeout: 30_000,
  },
});
