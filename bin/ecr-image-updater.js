#!/usr/bin/env node
// Runs the TypeScript CLI as it is, with no build step: tsx registers a loader for .ts modules.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
