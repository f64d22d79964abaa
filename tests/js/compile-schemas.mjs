// Compiles every JSON Schema named on the command line with Ajv (draft 2020-12, strict, with formats),
// as an editor or CI tool would. Prints one line per schema that fails and exits 1 if any does.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const Ajv2020 = require("ajv/dist/2020").default;
const addFormats = require("ajv-formats").default;

let failed = 0;
for (const path of process.argv.slice(2)) {
  const ajv = new Ajv2020({ strict: true, allErrors: true });
  addFormats(ajv);
  try {
    ajv.compile(JSON.parse(readFileSync(path, "utf8")));
    console.log(`ok ${path}`);
  } catch (error) {
    failed += 1;
    console.log(`FAIL ${path}: ${error.message}`);
  }
}
process.exit(failed ? 1 : 0);
