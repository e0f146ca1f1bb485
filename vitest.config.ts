import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const src = (path: string) => fileURLToPath(new URL(`./src/${path}`, import.meta.url));

export default defineConfig({
  resolve: {
    // Examples import the package by name, as users do; in this repository that name is the source.
    alias: [
      { find: /^channel-app-sdk\/testing$/, replacement: src('testing/index.ts') },
      { find: /^channel-app-sdk\/scheduler$/, replacement: src('scheduler/index.ts') },
      { find: /^channel-app-sdk\/webhooks$/, replacement: src('intake/index.ts') },
      { find: /^channel-app-sdk$/, replacement: src('index.ts') },
    ],
  },
  test: {
    include: ['test/**/*.test.ts', 'examples/**/*.test.ts'],
    environment: 'node',
    testTimeout: 20_000,
  },
});
