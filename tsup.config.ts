import { fileURLToPath } from 'node:url';
import { defineConfig, type Options } from 'tsup';

const shared: Options = {
  entry: {
    index: 'src/index.ts',
    testing: 'src/testing/index.ts',
    scheduler: 'src/scheduler/index.ts',
    webhooks: 'src/intake/index.ts',
  },
  dts: true,
  // Both entry points share one copy of the error classes and DTOs, so `instanceof` works across
  // `channel-app-sdk` and `channel-app-sdk/testing`.
  splitting: true,
  sourcemap: true,
  // The two formats build in parallel into one folder: `npm run build` empties it first.
  clean: false,
  target: 'node20',
  external: ['zod', 'ky', 'vitest', 'bullmq'],
};

/** vitest refuses `require()`, so the CommonJS build swaps the conformance suite for a stub that says so. */
const conformanceStub = {
  name: 'conformance-cjs-stub',
  setup(build: { onResolve: (options: { filter: RegExp }, callback: () => { path: string }) => void }) {
    build.onResolve({ filter: /^\.\/conformance\.js$/ }, () => ({
      path: fileURLToPath(new URL('./src/testing/conformance-cjs.ts', import.meta.url)),
    }));
  },
};

export default defineConfig([
  { ...shared, format: ['esm'] },
  // p-map ships as ESM only, which `require()` loads only from Node 20.19 on: the CommonJS build carries
  // its own copy, so it runs on every Node 20.
  { ...shared, format: ['cjs'], esbuildPlugins: [conformanceStub], noExternal: ['p-map'] },
]);
