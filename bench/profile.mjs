// @ts-check
/**
 * Summarizes what `node bench/run.mjs --cpu-prof | --heap-prof | --heap-snapshot-at N` writes, so a profile
 * can be read without Chrome DevTools:
 *
 *   node bench/profile.mjs FILE.cpuprofile [--top 25] [--per 2000] [--focus NAME]
 *   node bench/profile.mjs FILE.heapprofile [--top 25]
 *   node bench/profile.mjs FILE.heapsnapshot [--top 25]
 *
 * CPU: self and total time per function and self time per package (zod, ky, undici, the SDK's dist, node
 * internals, GC), in ms and, with `--per N`, in ms per item. `--focus NAME` prints the callers and callees
 * of the functions of that name. Heap profile: bytes allocated (sampled) per function and package. Heap
 * snapshot: self and retained size per constructor, with the retained size from the dominator tree, and
 * the biggest single retainers. `--class NAME` (as printed, such as `EventTarget (object)`) groups the
 * objects of that class by what holds them, six steps up.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    top: { type: 'string', default: '25' },
    per: { type: 'string' },
    focus: { type: 'string' },
    class: { type: 'string' },
  },
});
const top = Number(values.top);
const per = values.per === undefined ? undefined : Number(values.per);

/**
 * The package a script belongs to, so time and bytes add up per library.
 * @param {string} url
 */
function packageOf(url) {
  if (!url) return '(native/vm)';
  const match = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (match) return match[1] ?? url;
  if (url.startsWith('node:')) {
    if (url.includes('undici') || url.includes('internal/deps/undici')) return 'undici (node:fetch)';
    return 'node internals';
  }
  if (/\/dist\/[^/]+$/.test(url)) return 'sdk dist';
  if (/\/bench\//.test(url)) return 'bench harness';
  return url;
}

/**
 * One frame's readable name.
 * @param {{ functionName: string, url: string, lineNumber: number }} frame
 */
function nameOf(frame) {
  // Keep the package (or `dist/`) in the name: ky's `index.js` and the SDK's `index.js` are different files.
  const url = frame.url ?? '';
  const file = url.includes('node_modules/')
    ? url.slice(url.lastIndexOf('node_modules/') + 'node_modules/'.length)
    : url.replace(/^.*\/(dist|bench)\//, '$1/').replace(/^file:\/\/.*\//, '');
  return `${frame.functionName || '(anonymous)'} ${file}${file ? `:${frame.lineNumber + 1}` : ''}`;
}

/**
 * What kind of work a sample is, from the innermost frame that says: a native leaf such as `writev` is
 * placed by the frame that called it. Rules for this SDK's dependencies; the rest is `other`.
 * @type {[string, (frame: { functionName: string, url: string }) => boolean][]}
 */
const ACTIVITIES = [
  ['GC', (f) => f.functionName === '(garbage collector)'],
  ['idle', (f) => f.functionName === '(idle)'],
  ['program (V8/native outside JS)', (f) => f.functionName === '(program)'],
  ['JSON.parse/stringify', (f) => !f.url && /^(parse|stringify)$/.test(f.functionName)],
  ['zod', (f) => f.url.includes('node_modules/zod/')],
  ['ky', (f) => f.url.includes('node_modules/ky/')],
  ['undici (fetch)', (f) => f.url.includes('undici')],
  ['web streams (fetch bodies)', (f) => f.url.startsWith('node:internal/webstreams')],
  ['AbortSignal/EventTarget', (f) => /node:internal\/(abort_controller|event_target)/.test(f.url)],
  [
    'sockets/streams',
    (f) => /^node:(net|internal\/stream_base_commons|internal\/streams|stream)/.test(f.url),
  ],
  ['module loading', (f) => /node:internal\/modules|compileSourceTextModule/.test(f.url + f.functionName)],
  ['crypto hash', (f) => f.url === 'node:crypto' || f.url.startsWith('node:internal/crypto')],
  ['sdk: redaction', (f) => /dist\//.test(f.url) && /redact/i.test(f.functionName)],
  [
    'sdk: plain-data copy',
    (f) => /dist\//.test(f.url) && /^(toPlainData|copy|#copy\w*)$/.test(f.functionName),
  ],
  [
    'sdk: logging',
    (f) => /dist\//.test(f.url) && /^(debug|info|warn|error|log|#log\w*)$/.test(f.functionName),
  ],
  ['sdk: other', (f) => /\/dist\//.test(f.url)],
  ['bench harness', (f) => /\/bench\//.test(f.url)],
  ['promises/microtasks', (f) => /^(runMicrotasks|processTicksAndRejections)$/.test(f.functionName)],
];

/** @param {[string, number][]} rows @param {(value: number) => string} format */
function print(rows, format) {
  for (const [name, value] of rows.slice(0, top)) console.log(`  ${format(value).padStart(22)}  ${name}`);
}

/** @param {Map<string, number>} map */
const sorted = (map) => [...map.entries()].sort((a, b) => b[1] - a[1]);

/** @param {string} file */
function cpu(file) {
  /** @type {{ nodes: any[], samples: number[], timeDeltas: number[], startTime: number, endTime: number }} */
  const profile = JSON.parse(readFileSync(file, 'utf8'));
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  /** Microseconds of samples whose top frame is the node. */
  const selfUs = new Map();
  profile.samples.forEach((id, i) => {
    selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
  });
  const selfByFunction = new Map();
  const selfByPackage = new Map();
  const totalByFunction = new Map();
  const byActivity = new Map();
  let busyUs = 0;
  for (const [id, us] of selfUs) {
    const node = byId.get(id);
    const name = nameOf(node.callFrame);
    selfByFunction.set(name, (selfByFunction.get(name) ?? 0) + us);
    const special = /^\((idle|program|garbage collector|root)\)$/.test(node.callFrame.functionName);
    const pkg = special ? node.callFrame.functionName : packageOf(node.callFrame.url);
    selfByPackage.set(pkg, (selfByPackage.get(pkg) ?? 0) + us);
    if (node.callFrame.functionName !== '(idle)') busyUs += us;
    let activity = 'other';
    for (let at = id; at !== undefined && activity === 'other'; at = parent.get(at)) {
      const frame = byId.get(at).callFrame;
      activity = ACTIVITIES.find(([, test]) => test(frame))?.[0] ?? 'other';
    }
    byActivity.set(activity, (byActivity.get(activity) ?? 0) + us);
    // Total time: each function once per stack, however often it recurses.
    const seen = new Set();
    for (let at = id; at !== undefined; at = parent.get(at)) {
      const frame = byId.get(at).callFrame;
      const key = nameOf(frame);
      if (seen.has(key)) continue;
      seen.add(key);
      totalByFunction.set(key, (totalByFunction.get(key) ?? 0) + us);
    }
  }
  const format = (/** @type {number} */ us) =>
    per
      ? `${(us / 1000).toFixed(0)} ms ${(us / 1000 / per).toFixed(3)}/item`
      : `${(us / 1000).toFixed(1)} ms`;
  console.log(
    `${file}: ${((profile.endTime - profile.startTime) / 1000).toFixed(0)} ms profiled, ${(busyUs / 1000).toFixed(0)} ms not idle`,
  );
  console.log('\nTime per kind of work (innermost frame that says):');
  print(sorted(byActivity), format);
  console.log('\nSelf time per package:');
  print(sorted(selfByPackage), format);
  console.log('\nSelf time per function:');
  print(sorted(selfByFunction), format);
  console.log('\nTotal time per function (self + callees):');
  print(
    sorted(totalByFunction).filter(([name]) => !/^\((root|program|idle)\)/.test(name)),
    format,
  );
  if (values.focus) focus(profile, byId, parent, selfUs, values.focus, format);
}

/**
 * Callers and callees of one function, by total time.
 * @param {any} profile @param {Map<number, any>} byId @param {Map<number, number>} parent
 * @param {Map<number, number>} selfUs @param {string} wanted @param {(us: number) => string} format
 */
function focus(profile, byId, parent, selfUs, wanted, format) {
  const callers = new Map();
  const callees = new Map();
  for (const [id, us] of selfUs) {
    // Walk up from the sample; the frame below the outermost match is the callee, above it the caller.
    /** @type {number[]} */
    const stack = [];
    for (let at = id; at !== undefined; at = parent.get(at)) stack.push(at);
    const index = stack.findLastIndex((at) => byId.get(at).callFrame.functionName === wanted);
    if (index < 0) continue;
    const caller = stack[index + 1];
    const callee = stack[index - 1];
    const callerName = caller === undefined ? '(top)' : nameOf(byId.get(caller).callFrame);
    const calleeName = callee === undefined ? '(self)' : nameOf(byId.get(callee).callFrame);
    callers.set(callerName, (callers.get(callerName) ?? 0) + us);
    callees.set(calleeName, (callees.get(calleeName) ?? 0) + us);
  }
  void profile;
  console.log(`\nCallers of ${wanted}:`);
  print(sorted(callers), format);
  console.log(`\nCallees of ${wanted}:`);
  print(sorted(callees), format);
}

/** @param {string} file */
function heapProfile(file) {
  /** @type {{ head: any }} */
  const profile = JSON.parse(readFileSync(file, 'utf8'));
  const byFunction = new Map();
  const byPackage = new Map();
  const byActivity = new Map();
  let total = 0;
  /** @type {{ functionName: string, url: string }[]} */
  const stack = [];
  /** @param {any} node */
  const walk = (node) => {
    stack.push(node.callFrame);
    const bytes = node.selfSize ?? 0;
    if (bytes) {
      const name = nameOf(node.callFrame);
      byFunction.set(name, (byFunction.get(name) ?? 0) + bytes);
      const pkg = packageOf(node.callFrame.url);
      byPackage.set(pkg, (byPackage.get(pkg) ?? 0) + bytes);
      let activity = 'other';
      for (let i = stack.length - 1; i >= 0 && activity === 'other'; i -= 1) {
        const frame = stack[i];
        if (frame) activity = ACTIVITIES.find(([, test]) => test(frame))?.[0] ?? 'other';
      }
      byActivity.set(activity, (byActivity.get(activity) ?? 0) + bytes);
      total += bytes;
    }
    for (const child of node.children ?? []) walk(child);
    stack.pop();
  };
  walk(profile.head);
  const format = (/** @type {number} */ bytes) => `${(bytes / 1048576).toFixed(2)} MB`;
  console.log(`${file}: ${format(total)} allocated (sampled; with --heap-prof of run.mjs, garbage included)`);
  console.log('\nBy kind of work (innermost frame that says):');
  print(sorted(byActivity), format);
  console.log('\nBy package:');
  print(sorted(byPackage), format);
  console.log('\nBy function:');
  print(sorted(byFunction), format);
}

/** @param {string} file */
function heapSnapshot(file) {
  const snapshot = JSON.parse(readFileSync(file, 'utf8'));
  const meta = snapshot.snapshot.meta;
  const nodeFields = meta.node_fields.length;
  const edgeFields = meta.edge_fields.length;
  const nodeTypes = meta.node_types[0];
  const edgeTypes = meta.edge_types[0];
  const nTYPE = meta.node_fields.indexOf('type');
  const nNAME = meta.node_fields.indexOf('name');
  const nSIZE = meta.node_fields.indexOf('self_size');
  const nEDGES = meta.node_fields.indexOf('edge_count');
  const eTYPE = meta.edge_fields.indexOf('type');
  const eTO = meta.edge_fields.indexOf('to_node');
  const { nodes, edges, strings } = snapshot;
  const count = nodes.length / nodeFields;
  const firstEdge = new Uint32Array(count + 1);
  for (let i = 0, e = 0; i < count; i += 1) {
    firstEdge[i] = e;
    e += nodes[i * nodeFields + nEDGES] * edgeFields;
    firstEdge[i + 1] = e;
  }
  // Weak edges do not retain; shortcut edges are the synthetic roots' (DevTools skips both too).
  const retains = (/** @type {number} */ e) => {
    const type = edgeTypes[edges[e + eTYPE]];
    return type !== 'weak' && type !== 'shortcut';
  };
  // Post-order from the root (node 0), then the Cooper-Harvey-Kennedy iterative dominator algorithm.
  const order = new Int32Array(count).fill(-1);
  /** @type {number[]} */
  const postOrder = [];
  const stack = [0];
  const edgeAt = new Uint32Array(count);
  order[0] = -2;
  for (let i = 0; i < count; i += 1) edgeAt[i] = firstEdge[i] ?? 0;
  while (stack.length > 0) {
    const node = stack[stack.length - 1] ?? 0;
    const end = firstEdge[node + 1] ?? 0;
    let pushed = false;
    while ((edgeAt[node] ?? 0) < end) {
      const e = edgeAt[node] ?? 0;
      edgeAt[node] = e + edgeFields;
      if (!retains(e)) continue;
      const to = edges[e + eTO] / nodeFields;
      if (order[to] !== -1) continue;
      order[to] = -2;
      stack.push(to);
      pushed = true;
      break;
    }
    if (!pushed) {
      stack.pop();
      order[node] = postOrder.length;
      postOrder.push(node);
    }
  }
  /** @type {number[][]} */
  const predecessors = Array.from({ length: count }, () => []);
  for (let from = 0; from < count; from += 1) {
    if (order[from] === -1) continue;
    for (let e = firstEdge[from] ?? 0; e < (firstEdge[from + 1] ?? 0); e += edgeFields) {
      if (!retains(e)) continue;
      const to = edges[e + eTO] / nodeFields;
      predecessors[to]?.push(from);
    }
  }
  const dominator = new Int32Array(count).fill(-1);
  dominator[0] = 0;
  const intersect = (/** @type {number} */ a, /** @type {number} */ b) => {
    while (a !== b) {
      while ((order[a] ?? 0) < (order[b] ?? 0)) a = dominator[a] ?? 0;
      while ((order[b] ?? 0) < (order[a] ?? 0)) b = dominator[b] ?? 0;
    }
    return a;
  };
  for (let changed = true; changed; ) {
    changed = false;
    for (let i = postOrder.length - 2; i >= 0; i -= 1) {
      const node = postOrder[i] ?? 0;
      let idom = -1;
      for (const pred of predecessors[node] ?? []) {
        if (dominator[pred] === -1) continue;
        idom = idom === -1 ? pred : intersect(pred, idom);
      }
      if (idom !== -1 && dominator[node] !== idom) {
        dominator[node] = idom;
        changed = true;
      }
    }
  }
  const retained = new Float64Array(count);
  for (const node of postOrder) {
    retained[node] += nodes[node * nodeFields + nSIZE];
    const idom = dominator[node] ?? 0;
    if (node !== 0) retained[idom] += retained[node] ?? 0;
  }
  const label = (/** @type {number} */ i) => {
    const type = nodeTypes[nodes[i * nodeFields + nTYPE]];
    const name = strings[nodes[i * nodeFields + nNAME]];
    if (type === 'object' || type === 'closure' || type === 'native') return `${name} (${type})`;
    return `(${type})`;
  };
  const selfByClass = new Map();
  const countByClass = new Map();
  let total = 0;
  for (let i = 0; i < count; i += 1) {
    if (order[i] === -1) continue;
    const size = nodes[i * nodeFields + nSIZE];
    total += size;
    const key = label(i);
    selfByClass.set(key, (selfByClass.get(key) ?? 0) + size);
    countByClass.set(key, (countByClass.get(key) ?? 0) + 1);
  }
  // Retained per class: the nodes of a class whose dominator is not of the same class, so nested ones
  // (a Map inside a Map) are not counted twice.
  const retainedByClass = new Map();
  for (let i = 1; i < count; i += 1) {
    if (order[i] === -1) continue;
    const key = label(i);
    if (label(dominator[i] ?? 0) === key) continue;
    retainedByClass.set(key, (retainedByClass.get(key) ?? 0) + (retained[i] ?? 0));
  }
  const mb = (/** @type {number} */ bytes) => `${(bytes / 1048576).toFixed(2)} MB`;
  console.log(`${file}: ${count} nodes, ${mb(total)} reachable`);
  console.log('\nSelf size per constructor (count):');
  for (const [key, size] of sorted(selfByClass).slice(0, top))
    console.log(`  ${mb(size).padStart(10)}  ${key} x${countByClass.get(key)}`);
  console.log('\nRetained size per constructor:');
  for (const [key, size] of sorted(retainedByClass).slice(0, top))
    console.log(`  ${mb(size).padStart(10)}  ${key}`);
  // What holds each object: its dominator's edge when there is one, else its first retaining edge.
  /** @type {Map<number, { from: number, edge: string }>} */
  const holder = new Map();
  for (let from = 0; from < count; from += 1) {
    if (order[from] === -1) continue;
    for (let e = firstEdge[from] ?? 0; e < (firstEdge[from + 1] ?? 0); e += edgeFields) {
      if (!retains(e)) continue;
      const to = edges[e + eTO] / nodeFields;
      const known = holder.get(to);
      if (known && (known.from === dominator[to] || from !== dominator[to])) continue;
      const nameOrIndex = edges[e + meta.edge_fields.indexOf('name_or_index')];
      const edgeType = edgeTypes[edges[e + eTYPE]];
      const edge =
        edgeType === 'element' || edgeType === 'hidden' ? `[${nameOrIndex}]` : strings[nameOrIndex];
      holder.set(to, { from, edge });
    }
  }
  const heldBy = (/** @type {number} */ i) => {
    const h = holder.get(i);
    return h ? `${label(h.from)}.${h.edge}` : '?';
  };
  const biggest = [...Array(count).keys()]
    .filter((i) => i !== 0 && order[i] !== -1 && !/^\((synthetic)\)/.test(label(i)))
    .filter((i) => (retained[i] ?? 0) > 256 * 1024)
    .sort((a, b) => (retained[b] ?? 0) - (retained[a] ?? 0));
  console.log('\nBiggest retainers (> 256 KB), held by:');
  for (const i of biggest.slice(0, top * 2))
    console.log(`  ${mb(retained[i] ?? 0).padStart(10)}  ${label(i)}  <- ${heldBy(i)}`);
  if (!values.class) return;
  // Chains of holders for every object of one class, grouped: which code keeps them alive.
  const chains = new Map();
  for (let i = 0; i < count; i += 1) {
    if (order[i] === -1 || label(i) !== values.class) continue;
    const steps = [];
    for (let at = i, n = 0; n < 6; n += 1) {
      const h = holder.get(at);
      if (!h) break;
      steps.push(`${label(h.from)}.${h.edge}`);
      at = h.from;
    }
    const key = steps.join('  <-  ');
    const entry = chains.get(key) ?? { count: 0, bytes: 0 };
    entry.count += 1;
    entry.bytes += retained[i] ?? 0;
    chains.set(key, entry);
  }
  console.log(`\nWhat holds ${values.class} (count, retained):`);
  for (const [key, { count: n, bytes }] of [...chains].sort((a, b) => b[1].bytes - a[1].bytes).slice(0, top))
    console.log(`  x${n} ${mb(bytes)}  <- ${key}`);
}

for (const file of positionals) {
  if (file.endsWith('.cpuprofile')) cpu(file);
  else if (file.endsWith('.heapprofile')) heapProfile(file);
  else if (file.endsWith('.heapsnapshot')) heapSnapshot(file);
  else throw new Error(`${file}: expected a .cpuprofile, .heapprofile or .heapsnapshot`);
  console.log('');
}
