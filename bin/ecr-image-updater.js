#!/usr/bin/env node
// The CLI as installed: compiled JavaScript from dist/ (`npm run build`; `npm ci` and `npm pack` run it).

// The AWS SDK versions are pinned, so its notice about future releases needing Node 22 does not
// concern this CLI's users; keep their terminal quiet.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

let cli;
try {
  cli = await import('../dist/cli/main.js');
} catch (error) {
  if (error?.code !== 'ERR_MODULE_NOT_FOUND' || !String(error.message).includes('dist')) throw error;
  process.stderr.write('ecr-image-updater: the compiled CLI is missing (dist/); run `npm run build` first\n');
  process.exit(1);
}
process.exitCode = await cli.main(process.argv.slice(2));
