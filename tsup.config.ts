import { defineConfig } from 'tsup';

export default defineConfig({
  entry: { index: 'src/index.ts', testing: 'src/testing/index.ts' },
  format: ['esm', 'cjs'],
  dts: true,
  // Both entry points share one copy of the error classes and DTOs, so `instanceof` works across
  // `channel-app-sdk` and `channel-app-sdk/testing`.
  splitting: true,
  sourcemap: true,
  clean: true,
  target: 'node20',
  external: ['zod', 'ky', 'vitest'],
});
