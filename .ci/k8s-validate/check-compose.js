#!/usr/bin/env node
"use strict";
// Checks what `docker-compose config` resolved from docker-compose.yml (profiles, the shared
// x-huddle block, interpolation) against what Huddle needs to start; `config -q` alone only
// proves that the file parses.
//
//   docker-compose -f docker-compose.yml config > resolved.yml && node check-compose.js resolved.yml
const fs = require("fs");
const YAML = require("yaml");

const config = YAML.parse(fs.readFileSync(process.argv[2], "utf8"));
const services = config.services || {};
const problems = [];
const expect = (ok, message) => ok || problems.push(message);
// A published port as {host_ip, published, target}: `config` writes the long form, except for an
// entry with a host address, which it leaves as "[host_ip:]published:target[/protocol]".
const portOf = (p) => {
  if (typeof p !== "string") return { host_ip: p.host_ip, published: p.published, target: Number(p.target) };
  const parts = p.replace(/\/(tcp|udp)$/, "").split(":");
  const target = Number(parts.pop());
  const published = parts.pop();
  return { host_ip: parts.pop(), published, target };
};

expect(
  JSON.stringify(Object.keys(services).sort()) === JSON.stringify(["huddle", "huddle-native", "postgres", "redis"]),
  `services are ${Object.keys(services).join(", ")}`,
);
const dockerfiles = { huddle: "src/main/docker/Dockerfile.jvm", "huddle-native": "src/main/docker/Dockerfile.native" };
for (const [name, dockerfile] of Object.entries(dockerfiles)) {
  const s = services[name] || {};
  expect((s.build || {}).dockerfile === dockerfile, `${name} is not built from ${dockerfile}`);
  for (const key of [
    "QUARKUS_DATASOURCE_JDBC_URL", "QUARKUS_DATASOURCE_USERNAME", "QUARKUS_DATASOURCE_PASSWORD",
    "SMALLRYE_JWT_SIGN_KEY_LOCATION", "MP_JWT_VERIFY_PUBLICKEY_LOCATION",
  ]) {
    expect(typeof (s.environment || {})[key] === "string" && s.environment[key] !== "", `${name} lacks ${key}`);
  }
  for (const dep of ["postgres", "redis"]) {
    expect(((s.depends_on || {})[dep] || {}).condition === "service_healthy", `${name} does not wait for a healthy ${dep}`);
  }
  const secrets = (s.secrets || []).map((x) => x.source || x);
  for (const location of ["SMALLRYE_JWT_SIGN_KEY_LOCATION", "MP_JWT_VERIFY_PUBLICKEY_LOCATION"]) {
    const file = String((s.environment || {})[location]);
    expect(secrets.some((x) => file === `/run/secrets/${x}`), `${name}: ${location}=${file} is not a mounted secret`);
  }
  const ports = (s.ports || []).map(portOf);
  expect(ports.some((p) => p.target === 8080), `${name} does not publish port 8080`);
  // Health and metrics (the management interface, 9000) reach the host's loopback at most.
  for (const p of ports) {
    if (p.target === 9000) {
      expect(p.host_ip === "127.0.0.1", `${name} publishes the management port 9000 on ${p.host_ip || "every address"}`);
    }
  }
}
const test = JSON.stringify(((services.huddle || {}).healthcheck || {}).test || "");
expect(
  test.includes("/dev/tcp/127.0.0.1/9000") && test.includes("/q/health/ready"),
  `huddle's healthcheck does not probe readiness on the management port 9000: ${test}`,
);
expect(!services.huddle || !services.huddle.profiles, "huddle must start without a profile");
expect(((services["huddle-native"] || {}).profiles || []).includes("native"), "huddle-native is not in the native profile");
for (const name of ["postgres", "redis"]) {
  expect(((services[name] || {}).healthcheck || {}).test, `${name} has no healthcheck`);
}

if (problems.length) {
  problems.forEach((p) => console.log(`INVALID  ${p}`));
  process.exit(1);
}
console.log(`valid    services ${Object.keys(services).sort().join(", ")}`);
