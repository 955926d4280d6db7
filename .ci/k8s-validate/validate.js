#!/usr/bin/env node
"use strict";
// Validates rendered Kubernetes manifests offline, without a cluster and without downloading
// anything: every object is checked against the OpenAPI schema of its kind that ships inside
// the npm package kubernetes-models (Kubernetes 1.27 API), plus what those schemas let through:
//   - unknown fields (a misspelt "readinesProbe" is otherwise silently ignored by the schemas),
//   - containers without an image (the API schema leaves image optional),
//   - kinds for which no schema exists (never passed unchecked).
// YAML is read as Kubernetes reads it (YAML 1.1: an unquoted `no` is a boolean, 0440 is octal).
//
//   node validate.js FILE...                    every object in every file must be valid
//   node validate.js --expect-invalid FILE...   every file must be rejected, for the reason in
//                                               its first line "# expect: <text in the error>"
const fs = require("fs");
const path = require("path");
const YAML = require("yaml");

// The model class of a kind, e.g. apps/v1 Deployment -> kubernetes-models/apps/v1/Deployment.
function modelFor(apiVersion, kind) {
  if (!/^([a-z0-9.-]+\/)?v[0-9a-z]+$/.test(apiVersion) || !/^[A-Za-z0-9]+$/.test(kind)) return null;
  try {
    return require(`kubernetes-models/${apiVersion}/${kind}`)[kind] || null;
  } catch (e) {
    if (e.code === "MODULE_NOT_FOUND" || e.code === "ERR_PACKAGE_PATH_NOT_EXPORTED") return null;
    throw e;
  }
}

// Wraps an object so that every property the schema validator reads is recorded. The compiled
// validators read each property their schema declares (and iterate the keys of maps), so a key
// that was never read is one the schema does not know.
function tracked(value, reads) {
  if (value === null || typeof value !== "object") return value;
  const read = new Set();
  reads.set(value, read);
  const wrapped = new Map();
  return new Proxy(value, {
    get(target, key) {
      if (typeof key === "string") read.add(key);
      const v = target[key];
      if (v === null || typeof v !== "object") return v;
      if (!wrapped.has(key)) wrapped.set(key, tracked(v, reads));
      return wrapped.get(key);
    },
    ownKeys(target) {
      const keys = Reflect.ownKeys(target);
      keys.forEach((k) => typeof k === "string" && read.add(k));
      return keys;
    },
  });
}

function unknownFields(value, reads, where, out) {
  if (value === null || typeof value !== "object" || !reads.has(value)) return out;
  const read = reads.get(value);
  for (const [key, child] of Object.entries(value)) {
    const at = Array.isArray(value) ? `${where}[${key}]` : `${where}.${key}`;
    if (!Array.isArray(value) && !read.has(key)) out.push(`${at}: unknown field "${key}"`);
    else unknownFields(child, reads, at, out);
  }
  return out;
}

function podSpecOf(obj) {
  const spec = obj.spec || {};
  switch (obj.kind) {
    case "Pod":
      return spec;
    case "Deployment":
    case "StatefulSet":
    case "DaemonSet":
    case "ReplicaSet":
    case "Job":
      return spec.template && spec.template.spec;
    case "CronJob":
      return spec.jobTemplate && spec.jobTemplate.spec && spec.jobTemplate.spec.template && spec.jobTemplate.spec.template.spec;
    default:
      return undefined;
  }
}

function problemsOf(obj) {
  if (obj === null || typeof obj !== "object" || Array.isArray(obj)) return ["not a mapping"];
  if (typeof obj.apiVersion !== "string" || typeof obj.kind !== "string") return ["apiVersion or kind missing"];
  const model = modelFor(obj.apiVersion, obj.kind);
  if (!model) return [`no schema for ${obj.apiVersion} ${obj.kind}`];
  const reads = new WeakMap();
  const problems = [];
  try {
    // The model's schema check, run on the tracking wrapper instead of a copy.
    model.prototype.validate.call(tracked(obj, reads));
  } catch (e) {
    if (!Array.isArray(e.errors)) throw e;
    return e.message.split(", data").map((m, i) => (i ? "data" + m : m));
  }
  unknownFields(obj, reads, "", problems);
  const pod = podSpecOf(obj);
  if (pod) {
    for (const c of [...(pod.initContainers || []), ...(pod.containers || [])]) {
      if (typeof c.image !== "string" || c.image.trim() === "") problems.push(`container "${c.name}" has no image`);
    }
  }
  return problems;
}

function checkFile(file) {
  const text = fs.readFileSync(file, "utf8");
  const docs = YAML.parseAllDocuments(text, { version: "1.1", uniqueKeys: true });
  const problems = [];
  const names = [];
  for (const doc of docs) {
    if (doc.errors.length) {
      problems.push(...doc.errors.map((e) => `YAML: ${e.message.split("\n")[0]}`));
      continue;
    }
    const obj = doc.toJS();
    if (obj === null || obj === undefined) continue; // empty document
    const name = `${obj.kind}/${(obj.metadata && obj.metadata.name) || "?"}`;
    names.push(name);
    for (const p of problemsOf(obj)) problems.push(`${name}: ${p}`);
  }
  if (names.length === 0 && problems.length === 0) problems.push("no Kubernetes objects in the file");
  return { names, problems, text };
}

const args = process.argv.slice(2);
const expectInvalid = args[0] === "--expect-invalid";
const files = expectInvalid ? args.slice(1) : args;
if (files.length === 0) {
  console.error("usage: validate.js [--expect-invalid] FILE...");
  process.exit(2);
}
let failed = 0;
for (const file of files) {
  const { names, problems, text } = checkFile(file);
  // Files outside the working directory (rendered into a temporary one) by name only.
  const relative = path.relative(process.cwd(), file);
  const label = relative.startsWith("..") ? path.basename(file) : relative;
  if (!expectInvalid) {
    if (problems.length) {
      failed++;
      console.log(`INVALID  ${label}`);
      problems.forEach((p) => console.log(`         ${p}`));
    } else {
      console.log(`valid    ${label}: ${names.length} objects (${names.join(", ")})`);
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
