#!/usr/bin/env node
// Draws a Grafana dashboard from Prometheus text scrapes, without Grafana or Prometheus: it reads
// the dashboard JSON, evaluates every panel's PromQL over the scrapes written by scrape.sh, and
// writes one self-contained HTML page of inline SVG (no script, no fetch, no CDN) laid out by the
// panels' gridPos; with --png, headless Chromium takes a screenshot of it.
//
//   node docs/grafana/render.mjs --scrapes DIR [--dashboard docs/grafana/huddle-dashboard.json]
//        [--html OUT.html] [--png OUT.png] [--width 1600] [--rate-interval 5s] [--job huddle]
//        [--var instance=127.0.0.1:8080] [--chromium chromium] [--strict]
//
// The evaluation is a simplified PromQL, enough for dashboards like Huddle's:
//   selectors with =, !=, =~, !~ and a range [5s]; rate, irate, increase (no extrapolation past
//   the samples: increase is the counter's rise from the first to the last sample in the window,
//   rate that rise per second between them; resets handled), avg/min/max/sum_over_time,
//   clamp_min, clamp_max, abs; sum, avg, min, max, count with by/without; + - * / between
//   scalars and vectors (one-to-one, on/ignoring).
// Each scrape round is one evaluation step. Like Prometheus, every series gets job and instance
// labels (instance = host:port of the scraped URL). $__rate_interval is --rate-interval, $__range
// the whole run, $job/$instance are All (".*") unless given with --var.
// Every metric name a panel uses must appear in the scrapes; the ones that never do are listed
// (and with --strict the exit code is 1).
import fs from 'node:fs';
import path from 'node:path';
import os from 'node:os';
import { spawnSync } from 'node:child_process';

// ---------------------------------------------------------------- arguments

function parseArgs(argv) {
  const o = { dashboard: null, scrapes: null, html: null, png: null, width: 1600, rateInterval: '5s',
    job: 'huddle', vars: {}, chromium: null, strict: false, lookback: 5000 };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const next = () => {
      if (i + 1 >= argv.length) die(`${a} needs a value`);
      return argv[++i];
    };
    switch (a) {
      case '--dashboard': o.dashboard = next(); break;
      case '--scrapes': o.scrapes = next(); break;
      case '--html': o.html = next(); break;
      case '--png': o.png = next(); break;
      case '--width': o.width = Number(next()); break;
      case '--rate-interval': o.rateInterval = next(); break;
      case '--job': o.job = next(); break;
      case '--chromium': o.chromium = next(); break;
      case '--strict': o.strict = true; break;
      case '--var': {
        const [k, ...v] = next().split('=');
        (o.vars[k] ??= []).push(v.join('='));
        break;
      }
      case '-h': case '--help': usage(0); break;
      default: die(`unknown argument ${a}`);
    }
  }
  if (!o.scrapes) usage(2);
  o.dashboard ??= path.join(path.dirname(new URL(import.meta.url).pathname), 'huddle-dashboard.json');
  o.html ??= path.join(o.scrapes, '..', 'dashboard.html');
  return o;
}

function usage(code) {
  const lines = fs.readFileSync(new URL(import.meta.url), 'utf8').split('\n').slice(1);
  const text = lines.slice(0, lines.findIndex((l) => !l.startsWith('//')))
    .map((l) => l.replace(/^\/\/ ?/, '')).join('\n');
  (code ? process.stderr : process.stdout).write(text + '\n');
  process.exit(code);
}

function die(msg) {
  process.stderr.write(`render: ${msg}\n`);
  process.exit(2);
}

// ---------------------------------------------------------------- Prometheus text format

function parseValue(s) {
  if (s === 'NaN') return NaN;
  if (s === '+Inf' || s === 'Inf') return Infinity;
  if (s === '-Inf') return -Infinity;
  return Number(s);
}

/** One exposition (text format 0.0.4) -> Map name -> [{labels, value}]. */
function parseExposition(text) {
  const byName = new Map();
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    let i = 0;
    while (i < line.length && /[a-zA-Z0-9_:]/.test(line[i])) i++;
    const name = line.slice(0, i);
    const labels = {};
    if (line[i] === '{') {
      i++;
      for (;;) {
        while (line[i] === ' ' || line[i] === ',') i++;
        if (line[i] === '}') { i++; break; }
        const eq = line.indexOf('=', i);
        const key = line.slice(i, eq).trim();
        i = eq + 1;
        if (line[i] !== '"') throw new Error(`bad label in: ${line}`);
        i++;
        let v = '';
        while (line[i] !== '"') {
          if (line[i] === '\\') {
            i++;
            v += line[i] === 'n' ? '\n' : line[i];
          } else {
            v += line[i];
          }
          i++;
        }
        i++;
        labels[key] = v;
      }
    }
    const rest = line.slice(i).trim().split(/\s+/);
    if (!name || rest.length < 1) continue;
    const value = parseValue(rest[0]);
    if (!byName.has(name)) byName.set(name, []);
    byName.get(name).push({ labels, value });
  }
  return byName;
}

/** index.tsv + files -> {times: [ms], instances: Map instance -> [{t, ok, byName}]}. */
function loadScrapes(dir, job) {
  const index = fs.readFileSync(path.join(dir, 'index.tsv'), 'utf8').trim().split('\n').filter(Boolean);
  const instances = new Map();
  const times = new Set();
  const seenNames = new Set();
  for (const line of index) {
    const [t, instance, file, code] = line.split('\t');
    const ok = code === '200';
    let byName = new Map();
    if (ok) {
      byName = parseExposition(fs.readFileSync(path.join(dir, file), 'utf8'));
      for (const [name, list] of byName) {
        seenNames.add(name);
        for (const s of list) {
          s.labels = { __name__: name, ...s.labels, job, instance };
          s.key = seriesKey(s.labels);
        }
      }
    }
    if (!instances.has(instance)) instances.set(instance, []);
    instances.get(instance).push({ t: Number(t), ok, byName });
    times.add(Number(t));
  }
  for (const list of instances.values()) list.sort((a, b) => a.t - b.t);
  return { times: [...times].sort((a, b) => a - b), instances, seenNames };
}

function seriesKey(labels) {
  return Object.keys(labels).sort().map((k) => `${k}=${JSON.stringify(labels[k])}`).join(',');
}

// ---------------------------------------------------------------- PromQL subset: parser

const AGGREGATIONS = new Set(['sum', 'avg', 'min', 'max', 'count']);

function tokenize(src) {
  const tokens = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i];
    if (/\s/.test(c)) { i++; continue; }
    if (c === '[') {
      const end = src.indexOf(']', i);
      tokens.push({ t: 'range', v: parseDuration(src.slice(i + 1, end).trim()) });
      i = end + 1;
      continue;
    }
    if (c === '"' || c === "'") {
      let j = i + 1;
      let v = '';
      while (src[j] !== c) {
        if (src[j] === '\\') { j++; v += src[j] === 'n' ? '\n' : src[j]; } else v += src[j];
        j++;
        if (j > src.length) throw new Error(`unterminated string in ${src}`);
      }
      tokens.push({ t: 'str', v });
      i = j + 1;
      continue;
    }
    const num = /^(\d+\.?\d*(e[+-]?\d+)?|\.\d+(e[+-]?\d+)?)/i.exec(src.slice(i));
    if (num) { tokens.push({ t: 'num', v: Number(num[0]) }); i += num[0].length; continue; }
    const id = /^[a-zA-Z_:][a-zA-Z0-9_:]*/.exec(src.slice(i));
    if (id) { tokens.push({ t: 'id', v: id[0] }); i += id[0].length; continue; }
    const op = /^(=~|!~|!=|==|>=|<=|[-+*/(){},=<>])/.exec(src.slice(i));
    if (op) { tokens.push({ t: 'op', v: op[0] }); i += op[0].length; continue; }
    throw new Error(`cannot read "${src.slice(i, i + 10)}" in ${src}`);
  }
  return tokens;
}

function parseDuration(s) {
  let ms = 0;
  const re = /(\d+(?:\.\d+)?)(ms|s|m|h|d|w|y)/g;
  let m;
  let seen = '';
  while ((m = re.exec(s))) {
    seen += m[0];
    ms += Number(m[1]) * { ms: 1, s: 1e3, m: 6e4, h: 3.6e6, d: 8.64e7, w: 6.048e8, y: 3.1536e10 }[m[2]];
  }
  if (!seen || seen !== s) throw new Error(`bad duration "${s}"`);
  return ms;
}

function parse(src) {
  const tokens = tokenize(src);
  let p = 0;
  const peek = () => tokens[p];
  const isOp = (v) => tokens[p] && tokens[p].t === 'op' && tokens[p].v === v;
  const isId = (v) => tokens[p] && tokens[p].t === 'id' && tokens[p].v === v;
  const expect = (v) => {
    if (!isOp(v)) throw new Error(`expected "${v}" at token ${p} in ${src}`);
    p++;
  };
  const labelList = () => {
    expect('(');
    const names = [];
    while (!isOp(')')) {
      names.push(tokens[p++].v);
      if (isOp(',')) p++;
    }
    expect(')');
    return names;
  };
  const matching = () => {
    if (isId('on') || isId('ignoring')) {
      const kind = tokens[p++].v;
      return { kind, labels: labelList() };
    }
    return null;
  };
  const binary = (next, ops) => () => {
    let lhs = next();
    while (peek() && peek().t === 'op' && ops.includes(peek().v)) {
      const op = tokens[p++].v;
      const match = matching();
      lhs = { type: 'bin', op, lhs, rhs: next(), match };
    }
    return lhs;
  };
  const unary = () => {
    if (isOp('-')) { p++; return { type: 'neg', expr: unary() }; }
    if (isOp('+')) { p++; return unary(); }
    return primary();
  };
  const mul = binary(unary, ['*', '/']);
  const add = binary(mul, ['+', '-']);
  const expr = add;
  const selector = (name) => {
    const matchers = [];
    if (isOp('{')) {
      p++;
      while (!isOp('}')) {
        const label = tokens[p++].v;
        const op = tokens[p++].v;
        const value = tokens[p++].v;
        if (!['=', '!=', '=~', '!~'].includes(op)) throw new Error(`bad matcher op ${op} in ${src}`);
        matchers.push({ label, op, value, re: op.includes('~') ? new RegExp(`^(?:${value})$`) : null });
        if (isOp(',')) p++;
      }
      expect('}');
    }
    if (name) matchers.unshift({ label: '__name__', op: '=', value: name, re: null });
    let range = null;
    if (peek() && peek().t === 'range') range = tokens[p++].v;
    return { type: 'sel', name, matchers, range };
  };
  const primary = () => {
    const tok = peek();
    if (!tok) throw new Error(`unexpected end of ${src}`);
    if (tok.t === 'num') { p++; return { type: 'num', value: tok.v }; }
    if (isOp('(')) { p++; const e = expr(); expect(')'); return e; }
    if (isOp('{')) return selector(null);
    if (tok.t === 'id') {
      p++;
      if (AGGREGATIONS.has(tok.v) && (isOp('(') || isId('by') || isId('without'))) {
        let grouping = null;
        if (isId('by') || isId('without')) grouping = { kind: tokens[p++].v, labels: labelList() };
        expect('(');
        const inner = expr();
        expect(')');
        if (isId('by') || isId('without')) grouping = { kind: tokens[p++].v, labels: labelList() };
        return { type: 'agg', op: tok.v, grouping, expr: inner };
      }
      if (isOp('(')) {
        p++;
        const args = [];
        while (!isOp(')')) {
          args.push(expr());
          if (isOp(',')) p++;
        }
        expect(')');
        return { type: 'call', fn: tok.v, args };
      }
      return selector(tok.v);
    }
    throw new Error(`unexpected "${tok.v}" in ${src}`);
  };
  const tree = expr();
  if (p !== tokens.length) throw new Error(`unexpected "${tokens[p].v}" in ${src}`);
  return tree;
}

function metricNames(node, out = new Set()) {
  if (!node) return out;
  if (node.type === 'sel' && node.name) out.add(node.name);
  for (const k of ['expr', 'lhs', 'rhs']) metricNames(node[k], out);
  for (const a of node.args ?? []) metricNames(a, out);
  return out;
}

// ---------------------------------------------------------------- PromQL subset: evaluation

function matches(labels, matchers) {
  for (const m of matchers) {
    const v = labels[m.label] ?? '';
    switch (m.op) {
      case '=': if (v !== m.value) return false; break;
      case '!=': if (v === m.value) return false; break;
      case '=~': if (!m.re.test(v)) return false; break;
      case '!~': if (m.re.test(v)) return false; break;
    }
  }
  return true;
}

function candidates(scrape, sel) {
  if (!scrape.ok) return [];
  if (sel.name) return scrape.byName.get(sel.name) ?? [];
  return [...scrape.byName.values()].flat();
}

/** Latest successful scrape per instance at or before t (a failed one hides the series). */
function instantSelect(db, sel, t, lookback) {
  const out = [];
  for (const list of db.instances.values()) {
    let lo = 0;
    let hi = list.length - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (list[mid].t <= t) { found = mid; lo = mid + 1; } else hi = mid - 1;
    }
    if (found < 0 || t - list[found].t > lookback) continue;
    for (const s of candidates(list[found], sel)) {
      if (matches(s.labels, sel.matchers)) out.push({ labels: s.labels, v: s.value });
    }
  }
  return out;
}

function rangeSelect(db, sel, t) {
  const bySeries = new Map();
  for (const list of db.instances.values()) {
    for (const scrape of list) {
      if (scrape.t <= t - sel.range || scrape.t > t) continue;
      for (const s of candidates(scrape, sel)) {
        if (!matches(s.labels, sel.matchers)) continue;
        if (!bySeries.has(s.key)) bySeries.set(s.key, { labels: s.labels, samples: [] });
        bySeries.get(s.key).samples.push([scrape.t, s.value]);
      }
    }
  }
  return [...bySeries.values()];
}

function dropName(labels) {
  const { __name__, ...rest } = labels;
  return rest;
}

function counterRise(samples) {
  let rise = 0;
  for (let i = 1; i < samples.length; i++) {
    const d = samples[i][1] - samples[i - 1][1];
    rise += d >= 0 ? d : samples[i][1]; // a reset: the counter started again from 0
  }
  return rise;
}

const RANGE_FUNCTIONS = {
  rate: (s) => (s.length < 2 ? null : counterRise(s) / ((s.at(-1)[0] - s[0][0]) / 1000)),
  irate: (s) => (s.length < 2 ? null : counterRise(s.slice(-2)) / ((s.at(-1)[0] - s.at(-2)[0]) / 1000)),
  increase: (s) => (s.length < 2 ? null : counterRise(s)),
  avg_over_time: (s) => s.reduce((a, x) => a + x[1], 0) / s.length,
  max_over_time: (s) => Math.max(...s.map((x) => x[1])),
  min_over_time: (s) => Math.min(...s.map((x) => x[1])),
  sum_over_time: (s) => s.reduce((a, x) => a + x[1], 0),
};

function evaluate(node, db, t, ctx) {
  switch (node.type) {
    case 'num':
      return { kind: 'scalar', v: node.value };
    case 'neg': {
      const r = evaluate(node.expr, db, t, ctx);
      return r.kind === 'scalar' ? { kind: 'scalar', v: -r.v }
        : { kind: 'vector', items: r.items.map((x) => ({ labels: dropName(x.labels), v: -x.v })) };
    }
    case 'sel':
      if (node.range !== null) throw new Error('a range selector needs a function such as rate()');
      return { kind: 'vector', items: instantSelect(db, node, t, ctx.lookback) };
    case 'call': {
      if (RANGE_FUNCTIONS[node.fn]) {
        const arg = node.args[0];
        if (!arg || arg.type !== 'sel' || arg.range === null) throw new Error(`${node.fn}() needs a range selector`);
        const items = [];
        for (const series of rangeSelect(db, arg, t)) {
          const v = RANGE_FUNCTIONS[node.fn](series.samples, arg.range);
          if (v !== null) items.push({ labels: dropName(series.labels), v });
        }
        return { kind: 'vector', items };
      }
      const args = node.args.map((a) => evaluate(a, db, t, ctx));
      const vec = args[0];
      const scalarArg = (i) => {
        if (!args[i] || args[i].kind !== 'scalar') throw new Error(`${node.fn}() argument ${i + 1} must be a number`);
        return args[i].v;
      };
      const map = (f) => ({ kind: 'vector', items: vec.items.map((x) => ({ labels: dropName(x.labels), v: f(x.v) })) });
      switch (node.fn) {
        case 'abs': return map(Math.abs);
        case 'clamp_min': { const lo = scalarArg(1); return map((v) => Math.max(v, lo)); }
        case 'clamp_max': { const hi = scalarArg(1); return map((v) => Math.min(v, hi)); }
        default: throw new Error(`function ${node.fn}() is not supported by this renderer`);
      }
    }
    case 'agg': {
      const r = evaluate(node.expr, db, t, ctx);
      if (r.kind !== 'vector') throw new Error(`${node.op}() needs a vector`);
      const groups = new Map();
      for (const x of r.items) {
        let labels;
        if (!node.grouping) labels = {};
        else if (node.grouping.kind === 'by') {
          labels = {};
          for (const l of node.grouping.labels) if (x.labels[l] !== undefined) labels[l] = x.labels[l];
        } else {
          labels = dropName(x.labels);
          for (const l of node.grouping.labels) delete labels[l];
        }
        const key = seriesKey(labels);
        if (!groups.has(key)) groups.set(key, { labels, values: [] });
        groups.get(key).values.push(x.v);
      }
      const f = {
        sum: (vs) => vs.reduce((a, b) => a + b, 0),
        avg: (vs) => vs.reduce((a, b) => a + b, 0) / vs.length,
        min: (vs) => Math.min(...vs),
        max: (vs) => Math.max(...vs),
        count: (vs) => vs.length,
      }[node.op];
      return { kind: 'vector', items: [...groups.values()].map((g) => ({ labels: g.labels, v: f(g.values) })) };
    }
    case 'bin': {
      const a = evaluate(node.lhs, db, t, ctx);
      const b = evaluate(node.rhs, db, t, ctx);
      const op = { '+': (x, y) => x + y, '-': (x, y) => x - y, '*': (x, y) => x * y, '/': (x, y) => x / y }[node.op];
      if (!op) throw new Error(`operator ${node.op} is not supported by this renderer`);
      if (a.kind === 'scalar' && b.kind === 'scalar') return { kind: 'scalar', v: op(a.v, b.v) };
      if (a.kind === 'scalar') return { kind: 'vector', items: b.items.map((x) => ({ labels: dropName(x.labels), v: op(a.v, x.v) })) };
      if (b.kind === 'scalar') return { kind: 'vector', items: a.items.map((x) => ({ labels: dropName(x.labels), v: op(x.v, b.v) })) };
      const signature = (labels) => {
        const l = dropName(labels);
        if (!node.match) return l;
        if (node.match.kind === 'on') {
          const k = {};
          for (const n of node.match.labels) if (l[n] !== undefined) k[n] = l[n];
          return k;
        }
        for (const n of node.match.labels) delete l[n];
        return l;
      };
      const right = new Map();
      for (const y of b.items) right.set(seriesKey(signature(y.labels)), y);
      const items = [];
      for (const x of a.items) {
        const sig = signature(x.labels);
        const y = right.get(seriesKey(sig));
        if (y) items.push({ labels: node.match?.kind === 'on' ? sig : signature(x.labels), v: op(x.v, y.v) });
      }
      return { kind: 'vector', items };
    }
    default:
      throw new Error(`cannot evaluate ${node.type}`);
  }
}

// ---------------------------------------------------------------- dashboard queries

function regexEscape(s) {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function interpolate(text, vars) {
  return text.replace(/\$\{(\w+)(?::\w+)?\}|\$(\w+)/g, (all, a, b) => {
    const name = a ?? b;
    return name in vars ? vars[name] : all;
  });
}

function templateVars(dashboard, o, db) {
  const stepMs = db.times.length > 1 ? (db.times.at(-1) - db.times[0]) / (db.times.length - 1) : 1000;
  const rangeMs = db.times.length ? db.times.at(-1) - db.times[0] + stepMs : 0;
  const vars = {
    __rate_interval: o.rateInterval,
    __interval: `${Math.max(1, Math.round(stepMs / 1000))}s`,
    __range: `${Math.max(1, Math.round(rangeMs / 1000))}s`,
    __range_s: String(Math.round(rangeMs / 1000)),
  };
  const shown = [];
  for (const v of dashboard.templating?.list ?? []) {
    const given = o.vars[v.name];
    if (given && given.length) {
      vars[v.name] = given.length === 1 && !v.multi ? given[0] : `(${given.map(regexEscape).join('|')})`;
      shown.push([v.label || v.name, given.join(' + ')]);
    } else {
      vars[v.name] = v.allValue ?? '.*';
      shown.push([v.label || v.name, 'All']);
    }
  }
  return { vars, shown, stepMs, rangeMs };
}

function legendName(format, labels, expr) {
  if (format && format !== '__auto') {
    return format.replace(/\{\{\s*(\w+)\s*\}\}/g, (_, l) => labels[l] ?? '');
  }
  const ls = Object.entries(labels).filter(([k]) => k !== '__name__');
  if (!ls.length) return expr;
  return `{${ls.map(([k, v]) => `${k}="${v}"`).join(', ')}}`;
}

/** -> [{name, values: Array(times.length) of number|null}] for one panel. */
function runPanel(panel, db, ctx, problems) {
  const out = [];
  for (const target of panel.targets ?? []) {
    if (target.hide) continue;
    const expr = interpolate(target.expr, ctx.vars);
    let tree;
    try {
      tree = parse(expr);
    } catch (e) {
      problems.push(`panel "${panel.title}" ${target.refId}: ${e.message}`);
      continue;
    }
    for (const name of metricNames(tree)) {
      if (!db.seenNames.has(name)) problems.push(`panel "${panel.title}" ${target.refId}: metric ${name} never appeared in the scrapes`);
    }
    const times = target.instant ? [db.times.at(-1)] : db.times;
    const series = new Map();
    times.forEach((t, i) => {
      let r;
      try {
        r = evaluate(tree, db, t, ctx);
      } catch (e) {
        if (i === 0) problems.push(`panel "${panel.title}" ${target.refId}: ${e.message}`);
        return;
      }
      const items = r.kind === 'scalar' ? [{ labels: {}, v: r.v }] : r.items;
      for (const x of items) {
        const key = seriesKey(x.labels);
        if (!series.has(key)) {
          series.set(key, { name: legendName(target.legendFormat, x.labels, expr), labels: x.labels, values: new Array(times.length).fill(null) });
        }
        series.get(key).values[i] = Number.isFinite(x.v) ? x.v : null;
      }
    });
    const list = [...series.values()].sort((a, b) => a.name.localeCompare(b.name));
    out.push(...list.map((s) => ({ ...s, instant: !!target.instant })));
  }
  return out;
}

// ---------------------------------------------------------------- units

const SI = ['', ' K', ' Mil', ' Bil', ' Tri'];

function fixed(v, decimals) {
  if (decimals !== undefined && decimals !== null) return v.toFixed(decimals);
  const a = Math.abs(v);
  if (a === 0) return '0';
  const d = a >= 100 ? 0 : a >= 10 ? 1 : a >= 1 ? 2 : 3;
  return Number(v.toFixed(d)).toString();
}

function scaled(v, decimals, base, suffixes) {
  let i = 0;
  let x = v;
  while (Math.abs(x) >= base && i < suffixes.length - 1) { x /= base; i++; }
  return fixed(x, i === 0 ? decimals : (decimals ?? undefined)) + suffixes[i];
}

function formatValue(v, unit, decimals) {
  if (v === null || v === undefined || !Number.isFinite(v)) return '—';
  const count = (sym) => scaled(v, decimals, 1000, SI) + ` ${sym}`;
  switch (unit) {
    case 'none': return fixed(v, decimals);
    case 'percentunit': return `${fixed(v * 100, decimals)}%`;
    case 'percent': return `${fixed(v, decimals)}%`;
    case 'bytes': return scaled(v, decimals ?? (Math.abs(v) < 1024 ? 0 : undefined), 1024, [' B', ' KiB', ' MiB', ' GiB', ' TiB']);
    case 's': {
      const a = Math.abs(v);
      if (a === 0) return '0 s';
      if (a < 1e-6) return `${fixed(v * 1e9, decimals)} ns`;
      if (a < 1e-3) return `${fixed(v * 1e6, decimals)} µs`;
      if (a < 1) return `${fixed(v * 1e3, decimals)} ms`;
      if (a < 60) return `${fixed(v, decimals)} s`;
      return `${fixed(v / 60, decimals)} min`;
    }
    case 'ms': return formatValue(v / 1000, 's', decimals);
    case 'ops': return count('ops/s');
    case 'reqps': return count('req/s');
    case 'mps': return count('msg/s');
    case 'eps': return count('evt/s');
    case 'cps': return count('c/s');
    default:
      if (unit && unit.startsWith('suffix:')) return fixed(v, decimals) + unit.slice(7);
      return scaled(v, decimals, 1000, SI);
  }
}

function niceStep(span, target) {
  const raw = span / Math.max(1, target);
  const mag = 10 ** Math.floor(Math.log10(raw));
  for (const m of [1, 2, 2.5, 5, 10]) if (m * mag >= raw) return m * mag;
  return 10 * mag;
}

// ---------------------------------------------------------------- drawing

const PALETTE = ['#7EB26D', '#EAB839', '#6ED0E0', '#EF843C', '#E24D42', '#1F78C1', '#BA43A6', '#705DA0',
  '#508642', '#CCA300', '#447EBC', '#C15C17', '#890F02', '#0A437C', '#6D1F62', '#584477',
  '#B7DBAB', '#F4D598', '#70DBED', '#F9BA8F', '#F29191', '#82B5D8', '#E5A8E2', '#AEA2E0'];
const NAMED = { green: '#73BF69', red: '#F2495C', yellow: '#FADE2A', orange: '#FF9830', blue: '#5794F2',
  purple: '#B877D9', text: '#CCCCDC', 'dark-red': '#C4162A', 'dark-green': '#37872D' };
const TEXT = '#CCCCDC';
const WEAK = 'rgba(204,204,220,0.65)';
const GRID = 'rgba(204,204,220,0.09)';
const FONT = "Inter, 'Helvetica Neue', Arial, 'DejaVu Sans', sans-serif";
const CHAR = 0.56; // average glyph width per px of font size, for layout estimates

function esc(s) {
  return String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function clip(s, px, size) {
  const max = Math.floor(px / (size * CHAR));
  return s.length <= max ? s : s.slice(0, Math.max(1, max - 1)) + '…';
}

function reduce(values, calc) {
  const vs = values.filter((v) => v !== null);
  if (!vs.length) return null;
  switch (calc) {
    case 'mean': return vs.reduce((a, b) => a + b, 0) / vs.length;
    case 'max': return Math.max(...vs);
    case 'min': return Math.min(...vs);
    case 'sum': return vs.reduce((a, b) => a + b, 0);
    case 'last': return values.at(-1);
    case 'first': case 'firstNotNull': return vs[0];
    default: return vs.at(-1); // lastNotNull
  }
}

const CALC_TITLES = { mean: 'Mean', max: 'Max', min: 'Min', sum: 'Total', last: 'Last', lastNotNull: 'Last *', first: 'First', firstNotNull: 'First *' };

function timeLabel(ms, withSeconds) {
  const d = new Date(ms);
  const p = (n) => String(n).padStart(2, '0');
  return `${p(d.getHours())}:${p(d.getMinutes())}${withSeconds ? ':' + p(d.getSeconds()) : ''}`;
}

function drawTimeseries(panel, series, times, w, h) {
  const defaults = panel.fieldConfig?.defaults ?? {};
  const custom = defaults.custom ?? {};
  const unit = defaults.unit;
  const decimals = defaults.decimals;
  const legend = panel.options?.legend ?? {};
  const calcs = legend.calcs ?? [];
  const parts = [];
  const top = 34;
  const legendRow = 19;
  const showLegend = legend.showLegend !== false && series.length > 0;
  const maxRows = Math.max(1, Math.floor((h - top - 90) / legendRow) - 1);
  const rows = showLegend ? Math.min(series.length, maxRows) : 0;
  const legendH = showLegend ? (rows + 1) * legendRow + 6 : 0;
  const plotBottom = h - legendH - 22;

  const logBase = custom.scaleDistribution?.type === 'log' ? (custom.scaleDistribution.log ?? 10) : 0;
  if (logBase) {
    // Like Grafana, a log axis cannot show zero or negative values: they become gaps.
    for (const s of series) s.values = s.values.map((v) => (v !== null && v > 0 ? v : null));
  }
  const all = series.flatMap((s) => s.values).filter((v) => v !== null);
  let lo;
  let hi;
  let ticks = [];
  let tickLabels;
  let y;
  const plotH = plotBottom - top;
  if (logBase) {
    const lg = (v) => Math.log(v) / Math.log(logBase);
    const e0 = all.length ? Math.floor(lg(Math.min(...all))) : 0;
    let e1 = all.length ? Math.ceil(lg(Math.max(...all))) : 1;
    if (e1 <= e0) e1 = e0 + 1;
    lo = logBase ** e0;
    hi = logBase ** e1;
    const every = Math.max(1, Math.ceil((e1 - e0) / Math.max(2, Math.floor(plotH / 28))));
    for (let e = e0; e <= e1; e += every) ticks.push(logBase ** e);
    tickLabels = ticks.map((v) => formatValue(v, unit));
    y = (v) => plotBottom - ((lg(v) - e0) / (e1 - e0)) * plotH;
  } else {
    lo = defaults.min ?? (all.length ? Math.min(...all) : 0);
    hi = defaults.max ?? (all.length ? Math.max(...all) : 1);
    if (all.length && defaults.min === undefined) lo = Math.min(lo, 0);
    if (hi <= lo) hi = lo + (unit === 'percentunit' ? 0.01 : 1);
    // Byte axes step in powers of 1024 (64 MiB, not 50 MB), the others in 1-2-2.5-5 x 10^n.
    const scale = unit === 'bytes' ? 1024 ** Math.max(0, Math.floor(Math.log(Math.max(1, hi)) / Math.log(1024))) : 1;
    const step = niceStep((hi - lo) / scale, Math.max(2, Math.round(plotH / 45))) * scale;
    hi = Math.ceil(hi / step - 1e-9) * step;
    for (let v = Math.floor(lo / step) * step; v <= hi + step / 2; v += step) ticks.push(v);
    const stepDecimals = unit === 'bytes' || unit === 's' || unit === 'percentunit' ? undefined
      : [0, 1, 2, 3, 4, 5, 6].find((d) => Math.abs(step * 10 ** d - Math.round(step * 10 ** d)) < 1e-6) ?? 6;
    tickLabels = ticks.map((v) => formatValue(v, unit, stepDecimals));
    y = (v) => plotBottom - ((v - lo) / (hi - lo)) * plotH;
  }
  const axisW = Math.max(...tickLabels.map((l) => l.length)) * 12 * CHAR + 12;
  const x0 = 8 + axisW;
  const x1 = w - 12;
  const t0 = times[0];
  const t1 = times.at(-1);
  const x = (t) => x0 + ((t - t0) / Math.max(1, t1 - t0)) * (x1 - x0);

  ticks.forEach((v, i) => {
    parts.push(`<line x1="${x0}" x2="${x1}" y1="${y(v)}" y2="${y(v)}" stroke="${GRID}"/>`);
    parts.push(`<text x="${x0 - 6}" y="${y(v) + 4}" text-anchor="end" fill="${WEAK}" font-size="12">${esc(tickLabels[i])}</text>`);
  });
  const spanS = (t1 - t0) / 1000;
  const xStep = [5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600].find((s) => ((x1 - x0) / (spanS / s)) >= 80) ?? 3600;
  for (let t = Math.ceil(t0 / (xStep * 1000)) * xStep * 1000; t <= t1; t += xStep * 1000) {
    if (x(t) < x0 + 24 || x(t) > x1 - 24) continue; // a label half outside the plot reads badly
    parts.push(`<line x1="${x(t)}" x2="${x(t)}" y1="${top}" y2="${plotBottom}" stroke="${GRID}"/>`);
    parts.push(`<text x="${x(t)}" y="${plotBottom + 16}" text-anchor="middle" fill="${WEAK}" font-size="12">${timeLabel(t, xStep < 60)}</text>`);
  }

  if (!all.length) {
    parts.push(`<text x="${(x0 + x1) / 2}" y="${(top + plotBottom) / 2}" text-anchor="middle" fill="${WEAK}" font-size="14">No data</text>`);
  }
  const bars = custom.drawStyle === 'bars';
  const fill = (custom.fillOpacity ?? 0) / 100;
  const lineWidth = custom.lineWidth ?? 1;
  series.forEach((s, k) => {
    const color = PALETTE[k % PALETTE.length];
    s.color = color;
    if (bars) {
      const bw = Math.max(1, ((x1 - x0) / Math.max(1, times.length)) * 0.7);
      s.values.forEach((v, i) => {
        if (v === null || v === 0) return;
        const yy = y(Math.max(v, lo));
        parts.push(`<rect x="${x(times[i]) - bw / 2}" y="${yy}" width="${bw}" height="${Math.max(0.5, y(lo) - yy)}" fill="${color}" fill-opacity="${fill || 0.8}"/>`);
      });
      return;
    }
    let run = [];
    const flush = () => {
      if (run.length === 1) {
        parts.push(`<circle cx="${run[0][0]}" cy="${run[0][1]}" r="1.5" fill="${color}"/>`);
      } else if (run.length > 1) {
        const pts = run.map(([a, b]) => `${a.toFixed(1)},${b.toFixed(1)}`).join(' ');
        if (fill > 0) {
          const base = y(Math.max(lo, 0)).toFixed(1);
          parts.push(`<polygon points="${run[0][0].toFixed(1)},${base} ${pts} ${run.at(-1)[0].toFixed(1)},${base}" fill="${color}" fill-opacity="${fill}"/>`);
        }
        parts.push(`<polyline points="${pts}" fill="none" stroke="${color}" stroke-width="${lineWidth}" stroke-linejoin="round"/>`);
      }
      run = [];
    };
    s.values.forEach((v, i) => {
      if (v === null) flush();
      else run.push([x(times[i]), y(Math.min(Math.max(v, lo), hi))]);
    });
    flush();
  });

  if (showLegend) {
    let ly = plotBottom + 22 + legendRow;
    const colW = 82;
    const nameW = w - 40 - calcs.length * colW;
    calcs.forEach((c, i) => {
      parts.push(`<text x="${w - 12 - (calcs.length - 1 - i) * colW}" y="${ly - 4}" text-anchor="end" fill="#6E9FFF" font-size="12">${esc(CALC_TITLES[c] ?? c)}</text>`);
    });
    const shown = series.slice(0, rows);
    for (const s of shown) {
      ly += legendRow;
      parts.push(`<rect x="10" y="${ly - 9}" width="14" height="4" rx="1" fill="${s.color}"/>`);
      parts.push(`<text x="30" y="${ly - 4}" fill="${TEXT}" font-size="12">${esc(clip(s.name, nameW, 12))}</text>`);
      calcs.forEach((c, i) => {
        parts.push(`<text x="${w - 12 - (calcs.length - 1 - i) * colW}" y="${ly - 4}" text-anchor="end" fill="${TEXT}" font-size="12">${esc(formatValue(reduce(s.values, c), unit, decimals))}</text>`);
      });
    }
    if (series.length > rows) {
      parts.push(`<text x="${w - 12}" y="${plotBottom + 22 + 10}" text-anchor="end" fill="${WEAK}" font-size="11">+${series.length - rows} more series</text>`);
    }
  }
  return parts.join('');
}

function thresholdColor(defaults, v) {
  const steps = defaults.thresholds?.steps ?? [{ color: 'green', value: null }];
  let color = steps[0].color;
  for (const s of steps) if (s.value === null || (v !== null && v >= s.value)) color = s.color;
  return NAMED[color] ?? color;
}

function drawStat(panel, series, times, w, h) {
  const defaults = panel.fieldConfig?.defaults ?? {};
  const calc = panel.options?.reduceOptions?.calcs?.[0] ?? 'lastNotNull';
  const parts = [];
  if (!series.length) {
    const text = defaults.noValue ?? 'No data';
    parts.push(`<text x="${w / 2}" y="${h / 2 + 18}" text-anchor="middle" fill="${thresholdColor(defaults, Number(text) || null)}" font-size="34" font-weight="500">${esc(text)}</text>`);
    return parts.join('');
  }
  const s = series[0];
  const v = reduce(s.values, calc);
  const color = thresholdColor(defaults, v);
  if (panel.options?.graphMode !== 'none' && !s.instant && s.values.some((x) => x !== null)) {
    const vs = s.values.filter((x) => x !== null);
    const lo = Math.min(0, ...vs);
    const hi = Math.max(...vs) || 1;
    const top = h * 0.55;
    const bottom = h - 2;
    const xs = (i) => 2 + (i / Math.max(1, s.values.length - 1)) * (w - 4);
    const ys = (x) => bottom - ((x - lo) / (hi - lo || 1)) * (bottom - top);
    const pts = s.values.map((x, i) => (x === null ? null : `${xs(i).toFixed(1)},${ys(x).toFixed(1)}`)).filter(Boolean);
    parts.push(`<polygon points="2,${bottom} ${pts.join(' ')} ${(w - 2).toFixed(1)},${bottom}" fill="${color}" fill-opacity="0.18"/>`);
    parts.push(`<polyline points="${pts.join(' ')}" fill="none" stroke="${color}" stroke-width="1.5"/>`);
  }
  const text = formatValue(v, defaults.unit, defaults.decimals);
  const size = Math.min(40, (w - 20) / (text.length * 0.62));
  parts.push(`<text x="${w / 2}" y="${34 + (h - 34) * 0.42}" text-anchor="middle" fill="${color}" font-size="${size.toFixed(0)}" font-weight="500">${esc(text)}</text>`);
  return parts.join('');
}

function page(dashboard, db, ctx, o, problems) {
  const W = o.width;
  const margin = 8;
  const colW = (W - 2 * 16 + margin) / 24;
  const unitH = 30;
  const header = 96;
  const px = (g) => ({
    left: 16 + g.x * colW,
    top: header + g.y * (unitH + margin),
    width: g.w * colW - margin,
    height: g.h * unitH + (g.h - 1) * margin,
  });
  let bottom = 0;
  const blocks = [];
  for (const panel of dashboard.panels ?? []) {
    const r = px(panel.gridPos);
    bottom = Math.max(bottom, r.top + r.height);
    const title = interpolate(panel.title ?? '', ctx.vars);
    if (panel.type === 'row') {
      blocks.push(`<div class="row" style="left:${r.left}px;top:${r.top + 4}px;width:${r.width}px">⌄ ${esc(title)}</div>`);
      continue;
    }
    const series = runPanel(panel, db, ctx, problems);
    const body = panel.type === 'stat' ? drawStat(panel, series, db.times, r.width, r.height)
      : panel.type === 'timeseries' ? drawTimeseries(panel, series, db.times, r.width, r.height)
        : `<text x="12" y="60" fill="${WEAK}">panel type ${esc(panel.type)} is not drawn</text>`;
    const titleText = clip(title, r.width - 40, 14);
    blocks.push(`<div class="panel" style="left:${r.left}px;top:${r.top}px;width:${r.width}px;height:${r.height}px">`
      + `<svg xmlns="http://www.w3.org/2000/svg" width="${r.width}" height="${r.height}" font-family="${esc(FONT)}">`
      + `<title>${esc(panel.description ?? title)}</title>`
      + `<text x="${panel.type === 'stat' ? r.width / 2 : 10}" y="22" fill="${TEXT}" font-size="14" font-weight="500"${panel.type === 'stat' ? ' text-anchor="middle"' : ''}>${esc(titleText)}</text>`
      + body + '</svg></div>');
  }
  const height = bottom + 40;
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  const day = new Date(db.times[0]).toISOString().slice(0, 10);
  const range = `${day} ${timeLabel(db.times[0], true)} to ${timeLabel(db.times.at(-1), true)} ${zone}`;
  const pickers = ctx.shown.map(([k, v]) => `<span class="var"><b>${esc(k)}</b><i>${esc(v)}</i></span>`).join('');
  const targets = db.instances.size;
  const note = `Drawn by docs/grafana/render.mjs from ${db.times.length} scrape rounds of ${targets} target${targets === 1 ? '' : 's'} `
    + `(simplified PromQL, $__rate_interval = ${esc(o.rateInterval)}) — not a Grafana screenshot`;
  const html = `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<title>${esc(dashboard.title)}</title>
<style>
  html, body { margin: 0; background: #111217; color: ${TEXT}; font-family: ${FONT}; }
  .page { position: relative; width: ${W}px; height: ${height}px; }
  .top { position: absolute; left: 16px; right: 16px; top: 12px; height: 32px; display: flex; align-items: center; gap: 12px; }
  .crumb { font-size: 18px; } .crumb span { color: ${WEAK}; }
  .range { margin-left: auto; font-size: 13px; border: 1px solid rgba(204,204,220,0.2); border-radius: 2px; padding: 5px 10px; }
  .vars { position: absolute; left: 16px; top: 54px; display: flex; gap: 8px; font-size: 13px; }
  .var { display: inline-flex; border: 1px solid rgba(204,204,220,0.2); border-radius: 2px; }
  .var b { font-weight: 500; padding: 5px 8px; background: #22252b; }
  .var i { font-style: normal; padding: 5px 10px; min-width: 40px; }
  .note { position: absolute; right: 16px; top: 60px; font-size: 12px; color: ${WEAK}; }
  .panel { position: absolute; background: #181b1f; border: 1px solid rgba(204,204,220,0.12); border-radius: 2px; box-sizing: border-box; overflow: hidden; }
  .panel svg { display: block; }
  .row { position: absolute; font-size: 15px; font-weight: 500; }
</style></head>
<body><div class="page">
<div class="top"><div class="crumb"><span>Dashboards / </span>${esc(dashboard.title)}</div><div class="range">${esc(range)}</div></div>
<div class="vars">${pickers}</div>
<div class="note">${note}</div>
${blocks.join('\n')}
</div></body></html>
`;
  return { html, height };
}

// ---------------------------------------------------------------- main

function findChromium(given) {
  for (const c of [given, 'chromium', 'chromium-browser', 'google-chrome'].filter(Boolean)) {
    const r = spawnSync(c, ['--version'], { encoding: 'utf8' });
    if (r.status === 0) return c;
  }
  return null;
}

function main() {
  const o = parseArgs(process.argv.slice(2));
  const dashboard = JSON.parse(fs.readFileSync(o.dashboard, 'utf8'));
  const db = loadScrapes(o.scrapes, o.job);
  if (db.times.length < 2) die(`fewer than two scrape rounds in ${o.scrapes}`);
  const { vars, shown } = templateVars(dashboard, o, db);
  const ctx = { vars, shown, lookback: o.lookback };
  const problems = [];
  const { html, height } = page(dashboard, db, ctx, o, problems);
  fs.mkdirSync(path.dirname(path.resolve(o.html)), { recursive: true });
  fs.writeFileSync(o.html, html);
  process.stderr.write(`render: ${o.html} (${o.width}x${Math.ceil(height)}), ${db.times.length} rounds, ${db.instances.size} targets\n`);
  for (const p of [...new Set(problems)]) process.stderr.write(`render: ${p}\n`);
  if (o.png) {
    const chromium = findChromium(o.chromium);
    if (!chromium) die('no chromium found (apt-get install chromium), or pass --chromium PATH');
    const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'render-chromium-'));
    const r = spawnSync(chromium, ['--headless', '--no-sandbox', '--disable-gpu', '--hide-scrollbars',
      '--no-first-run', '--disable-extensions', '--disable-background-networking', '--disable-sync',
      '--force-device-scale-factor=1', `--user-data-dir=${profile}`,
      `--window-size=${o.width},${Math.ceil(height)}`, `--screenshot=${path.resolve(o.png)}`,
      `file://${path.resolve(o.html)}`], { encoding: 'utf8', timeout: 60000 });
    fs.rmSync(profile, { recursive: true, force: true });
    if (r.status !== 0 || !fs.existsSync(o.png)) die(`chromium failed: ${r.stderr || r.error}`);
    process.stderr.write(`render: ${o.png}\n`);
  }
  if (o.strict && problems.length) process.exit(1);
}

main();
