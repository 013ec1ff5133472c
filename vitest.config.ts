import { defineConfig } from 'vitest/config';

export default defineConfig({
  // Tests run the TypeScript sources of both packages: the `source` export condition (package.json and
  // local/package.json) points `ecr-image-updater/...` and `@ecr-image-updater/local/...` at them.
  ssr: { resolve: { conditions: ['source'] } },
  test: {
    include: ['test/**/*.test.ts'],
    environment: 'node',
    testTimeout: 30_000,
    hookTimeout: 60_000,
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
  },
});
