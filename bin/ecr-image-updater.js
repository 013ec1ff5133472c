#!/usr/bin/env node
// Runs the TypeScript CLI as it is, with no build step: tsx registers a loader for .ts modules.
import { register } from 'tsx/esm/api';

// The AWS SDK versions are pinned in package-lock.json, so its notice about future releases needing
// Node 22 does not concern this CLI's users; keep their terminal quiet.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
register();
const { main } = await import('../cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
