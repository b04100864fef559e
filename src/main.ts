import { serve } from "./serve.js";

serve().catch((error: unknown) => {
  process.stderr.write(`open-bedrock: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
