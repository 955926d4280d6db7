#!/usr/bin/env node
"use strict";
// Checks Dockerfiles offline: the syntax checks of dockerfile-utils (the linter behind the
// VS Code Dockerfile support; errors and warnings both fail), and two rules of ours for the
// image that runs: it ends as a numeric, non-root USER (Kubernetes' runAsNonRoot can only
// verify a numeric one) and it EXPOSEs 8080 (HTTP) and 9000 (the management interface: health and
// metrics, which Compose's healthcheck and the Kubernetes probes use).
//
//   node lint-dockerfiles.js FILE...                    every file must pass
//   node lint-dockerfiles.js --expect-invalid FILE...   every file must fail, for the reason in
//                                                       its line "# expect: <text in the error>"
const fs = require("fs");
const path = require("path");
const { validate } = require("dockerfile-utils");

function instructions(text) {
  // Joins continuation lines and drops comments; returns [keyword, arguments] pairs.
  const out = [];
  let current = "";
  for (const raw of text.split("\n")) {
    const line = raw.trim();
    if (current === "" && (line === "" || line.startsWith("#"))) continue;
    if (line.endsWith("\\")) {
      current += line.slice(0, -1) + " ";
      continue;
    }
    current += line;
    const [keyword, ...rest] = current.trim().split(/\s+/);
    out.push([keyword.toUpperCase(), rest.join(" ")]);
    current = "";
  }
  return out;
}

function problemsOf(text) {
  const problems = validate(text).map((d) => `line ${d.range.start.line + 1}: ${d.message}`);
  const all = instructions(text);
  const lastFrom = all.map(([k]) => k).lastIndexOf("FROM");
  const finalStage = all.slice(lastFrom);
  const users = finalStage.filter(([k]) => k === "USER").map(([, a]) => a.split(":")[0]);
  const user = users[users.length - 1];
  if (user === undefined) problems.push("final stage: no USER (the image would run as root)");
  else if (!/^[0-9]+$/.test(user) || Number(user) === 0) problems.push(`final stage: USER ${user} is not a numeric non-root UID`);
  const ports = finalStage.filter(([k]) => k === "EXPOSE").flatMap(([, a]) => a.split(/\s+/));
  for (const port of ["8080", "9000"]) {
    if (!ports.some((p) => p === port || p === `${port}/tcp`)) problems.push(`final stage: no EXPOSE ${port}`);
  }
  return { problems, summary: `USER ${user}, EXPOSE ${ports.join(" ")}` };
}

const args = process.argv.slice(2);
const expectInvalid = args[0] === "--expect-invalid";
const files = expectInvalid ? args.slice(1) : args;
if (files.length === 0) {
  console.error("usage: lint-dockerfiles.js [--expect-invalid] FILE...");
  process.exit(2);
}
let failed = 0;
for (const file of files) {
  const text = fs.readFileSync(file, "utf8");
  const { problems, summary } = problemsOf(text);
  // Files outside the working directory (rendered into a temporary one) by name only.
  const relative = path.relative(process.cwd(), file);
  const label = relative.startsWith("..") ? path.basename(file) : relative;
  if (!expectInvalid) {
    if (problems.length) {
      failed++;
      console.log(`INVALID  ${label}`);
      problems.forEach((p) => console.log(`         ${p}`));
    } else {
      console.log(`valid    ${label} (final stage: ${summary})`);
    }
    continue;
  }
  const expected = (/^# expect: (.+)$/m.exec(text) || [])[1];
  const hit = expected && problems.find((p) => p.includes(expected.trim()));
  if (hit) {
    console.log(`rejected ${label}: ${hit}`);
  } else {
    failed++;
    console.log(`MISSED   ${label}: expected an error containing "${expected}", got ${problems.length ? problems.join("; ") : "none"}`);
  }
}
process.exit(failed ? 1 : 0);
