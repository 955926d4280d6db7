#!/usr/bin/env node
"use strict";
// Only for machines whose kubectl embeds kustomize v2 (kubectl <= 1.20, e.g. Debian 12's
// kubernetes-client), which predates two fields our kustomizations use. Copies a directory
// tree and rewrites each kustomization.yaml into the v2 spelling of the same thing:
//   resources: [a directory]      -> bases: [that directory]
//   patches: [{path: file.yaml}]  -> patchesStrategicMerge: [file.yaml]
// Anything else that v2 cannot express fails loudly instead of rendering something different.
//
//   node kustomize-compat.js SOURCE_DIR TARGET_DIR
const fs = require("fs");
const path = require("path");
const YAML = require("yaml");

const [source, target] = process.argv.slice(2);
if (!source || !target) {
  console.error("usage: kustomize-compat.js SOURCE_DIR TARGET_DIR");
  process.exit(2);
}
const V2_FIELDS = new Set([
  "apiVersion", "kind", "resources", "bases", "images", "configMapGenerator", "secretGenerator",
  "generatorOptions", "patchesStrategicMerge", "namespace", "namePrefix", "nameSuffix",
  "commonLabels", "commonAnnotations", "patchesJson6902", "vars", "crds",
]);

fs.cpSync(source, target, { recursive: true });
for (const entry of fs.readdirSync(target, { recursive: true })) {
  if (path.basename(entry) !== "kustomization.yaml") continue;
  const file = path.join(target, entry);
  const dir = path.dirname(file);
  const k = YAML.parse(fs.readFileSync(file, "utf8"));
  const resources = [];
  const bases = [...(k.bases || [])];
  for (const r of k.resources || []) {
    (fs.statSync(path.join(dir, r)).isDirectory() ? bases : resources).push(r);
  }
  const merges = [...(k.patchesStrategicMerge || [])];
  for (const p of k.patches || []) {
    if (Object.keys(p).join() !== "path") throw new Error(`${file}: patch ${JSON.stringify(p)} has no kustomize v2 form`);
    merges.push(p.path);
  }
  delete k.patches;
  k.resources = resources;
  if (bases.length) k.bases = bases;
  if (merges.length) k.patchesStrategicMerge = merges;
  for (const key of Object.keys(k)) {
    if (!V2_FIELDS.has(key)) throw new Error(`${file}: field ${key} has no kustomize v2 form`);
  }
  fs.writeFileSync(file, YAML.stringify(k));
}
