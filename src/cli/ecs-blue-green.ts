#!/usr/bin/env node
// Entry point of the `ecs-blue-green` operator CLI (bundled into assets/cli/ecs-blue-green/index.js).
import { main } from './main';
import { closedPipeSafe, processEnv } from './terminal';

// The SDK is bundled into this file, so its warning about future SDK releases needing a newer
// Node.js does not concern the user of this CLI.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

// A reader that closes early (`| head -1`) must not turn into a crash with exit 1 ("deployment failed").
main(process.argv.slice(2), closedPipeSafe(process.stdout), processEnv()).then(
  (code) => { process.exitCode = code; },
  (err) => {
    process.stderr.write(`ecs-blue-green: unexpected error: ${(err as Error)?.stack ?? String(err)}\n`);
    process.exitCode = 3;
  },
);
