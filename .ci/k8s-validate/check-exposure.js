#!/usr/bin/env node
"use strict";
// Checks what rendered Kubernetes manifests expose, beyond what the API schemas can say:
//   - the huddle container declares the management interface as a named port
//     ("management", 9000) beside "http" (8080),
//   - its startup, liveness and readiness probes ask /q/health/started|live|ready on the
//     management port (the HTTP port answers 404 there),
//   - no Service and no Ingress reaches the management port (by name or number): health details
//     and metrics stay off the public path.
//
//   node check-exposure.js FILE...                    every file must pass
//   node check-exposure.js --expect-invalid FILE...   every file must fail, for the reason in its
//                                                     line "# expect: <text in the error>"
const fs = require("fs");
const path = require("path");
const YAML = require("yaml");

const MANAGEMENT = { name: "management", port: 9000 };
const PROBES = { startupProbe: "/q/health/started", livenessProbe: "/q/health/live", readinessProbe: "/q/health/ready" };

function huddleContainers(obj) {
  if (obj.kind !== "Deployment") return [];
  const pod = ((obj.spec || {}).template || {}).spec || {};
  return (pod.containers || []).filter((c) => c.name === "huddle");
}

function problemsOf(objects) {
  const problems = [];
  let deployments = 0;
  for (const obj of objects) {
    const name = `${obj.kind}/${(obj.metadata || {}).name}`;
    for (const c of huddleContainers(obj)) {
      deployments++;
      const ports = c.ports || [];
      const mgmt = ports.find((p) => p.name === MANAGEMENT.name);
      if (!mgmt || mgmt.containerPort !== MANAGEMENT.port) {
        problems.push(`${name}: no container port "${MANAGEMENT.name}" = ${MANAGEMENT.port}`);
      }
      if (!ports.some((p) => p.name === "http" && p.containerPort === 8080)) {
        problems.push(`${name}: no container port "http" = 8080`);
      }
      for (const [probe, expected] of Object.entries(PROBES)) {
        const get = (c[probe] || {}).httpGet;
        if (!get) {
          problems.push(`${name}: no ${probe} (httpGet)`);
          continue;
        }
        if (get.path !== expected) problems.push(`${name}: ${probe} asks ${get.path}, not ${expected}`);
        if (get.port !== MANAGEMENT.name && get.port !== MANAGEMENT.port) {
          problems.push(`${name}: ${probe} is not on the management port (port: ${get.port})`);
        }
      }
    }
    if (obj.kind === "Service") {
      for (const p of (obj.spec || {}).ports || []) {
        if ([MANAGEMENT.name, MANAGEMENT.port].includes(p.targetPort) || p.port === MANAGEMENT.port) {
          problems.push(`${name}: exposes the management port (port ${p.port} -> ${p.targetPort})`);
        }
      }
    }
    if (obj.kind === "Ingress") {
      const backends = JSON.stringify(obj.spec || {});
      if (/"(name|number)":\s*("management"|9000)/.test(backends)) {
        problems.push(`${name}: routes to the management port`);
      }
    }
  }
  if (deployments === 0) problems.push("no Deployment with a container named huddle");
  return problems;
}

const args = process.argv.slice(2);
const expectInvalid = args[0] === "--expect-invalid";
const files = expectInvalid ? args.slice(1) : args;
if (files.length === 0) {
  console.error("usage: check-exposure.js [--expect-invalid] FILE...");
  process.exit(2);
}
let failed = 0;
for (const file of files) {
  const text = fs.readFileSync(file, "utf8");
  const objects = YAML.parseAllDocuments(text, { version: "1.1" }).map((d) => d.toJS()).filter(Boolean);
  const problems = problemsOf(objects);
  const relative = path.relative(process.cwd(), file);
  const label = relative.startsWith("..") ? path.basename(file) : relative;
  if (!expectInvalid) {
    if (problems.length) {
      failed++;
      console.log(`INVALID  ${label}`);
      problems.forEach((p) => console.log(`         ${p}`));
    } else {
      console.log(`valid    ${label}: probes on "${MANAGEMENT.name}" (${MANAGEMENT.port}), no Service or Ingress reaches it`);
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
