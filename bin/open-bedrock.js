#!/usr/bin/env node
// The `open-bedrock` command. It runs the compiled CLI, which `npm install`
// and `npm ci` build into dist/ (the package's `prepare` script).
import { existsSync } from "node:fs";

const cli = new URL("../dist/src/cli/main.js", import.meta.url);
if (!existsSync(cli)) {
  process.stderr.write("open-bedrock: the compiled CLI is missing (dist/); run `npm run build` first.\n");
  process.exit(1);
}
await import(cli.href);
