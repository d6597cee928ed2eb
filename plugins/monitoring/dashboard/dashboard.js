// The live dashboard of @sluice/monitoring: plain browser JavaScript, no build step.
//
// It reads the server's event stream (`/events`): `graph` lays the pipeline out once; every
// `stats` snapshot updates texts, colours, the charts and the table in place, in one animation
// frame. Nothing is laid out again while the graph stays the same, so a 50-stage pipeline costs
// no more per second than a 3-stage one.
(function () {
  'use strict';

  const SVG = 'http://www.w3.org/2000/svg';
  const NODE_W = 176;
  const NODE_H = 70;
  const GAP_X = 64;
  const GAP_Y = 22;
  const MARGIN = 24;
  const WINDOW_S = 300; // the charts show the last 5 minutes
  const BACKPRESSURED_MS_PER_S = 500;
  const MAX_EVENTS = 60;
  const POLL_AFTER_MS = 2500;
  // Shrunk to fit the panel's width down to this scale; below it, labels would be too small to
  // read, so a large graph keeps its size and scrolls.
  const MIN_AUTO_SCALE = 0.72;

  const token = new URLSearchParams(location.search).get('token');
  /** A server path with the page's token, relative to the page (so a proxy prefix still works). */
  const url = (path) => (token ? `${path}?token=${encodeURIComponent(token)}` : path);

  const $ = (id) => document.getElementById(id);

  // ---- state ---------------------------------------------------------------------------------

  let graph; // the PipelineGraph laid out now
  let graphKey = '';
  let pipelineName;
  const views = new Map(); // node name -> { role, kind, g, texts..., row cells }
  let prev; // the previous stats snapshot, for rates
  let latest; // the newest snapshot
  let lastStatsAt = 0; // when it came (page clock)
  let frame = 0;
  let snapshots = 0; // stats messages received, shown as body[data-snapshots] for tests
  let zoom = 'auto'; // 'auto', 'fit' or 'actual'
  let layoutSize = { w: 0, h: 0 };

  // ---- formatting ----------------------------------------------------------------------------

  function num(n) {
    if (n === undefined || n === null || !Number.isFinite(n)) return '–';
    const a = Math.abs(n);
    const short = (v, unit) => `${v.toFixed(Math.abs(v) >= 10 ? 1 : 2).replace(/\.?0+$/, '')}${unit}`;
    if (a >= 1e9) return short(n / 1e9, 'G');
    if (a >= 1e6) return short(n / 1e6, 'M');
    if (a >= 1e3) return short(n / 1e3, 'k');
    if (a >= 100) return String(Math.round(n));
    return String(+n.toFixed(a < 10 ? 2 : 1));
  }

  function ms(v) {
    if (v === undefined || v === null || !Number.isFinite(v)) return '–';
    if (v >= 1000) return `${+(v / 1000).toFixed(v >= 10_000 ? 1 : 2)} s`;
    if (v >= 100) return `${Math.round(v)} ms`;
    if (v >= 10) return `${+v.toFixed(1)} ms`;
    if (v >= 0.01 || v === 0) return `${+v.toFixed(2)} ms`;
    return `${+v.toPrecision(1)} ms`;
  }

  function pct(v) {
    return v === undefined || v === null || !Number.isFinite(v) ? '–' : `${Math.round(v * 100)}%`;
  }

  function duration(msTotal) {
    if (!Number.isFinite(msTotal) || msTotal <= 0) return '0s';
    let s = Math.floor(msTotal / 1000);
    const d = Math.floor(s / 86400);
    s -= d * 86400;
    const h = Math.floor(s / 3600);
    s -= h * 3600;
    const m = Math.floor(s / 60);
    s -= m * 60;
    if (d > 0) return `${d}d ${h}h ${m}m`;
    if (h > 0) return `${h}h ${m}m ${s}s`;
    if (m > 0) return `${m}m ${s}s`;
    return `${s}s`;
  }

  function clip(text, max) {
    return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
  }

  function svg(tag, attrs, parent) {
    const el = document.createElementNS(SVG, tag);
    for (const k in attrs) el.setAttribute(k, attrs[k]);
    if (parent) parent.appendChild(el);
    return el;
  }

  function setText(el, text) {
    if (el.textContent !== text) el.textContent = text;
  }

  // ---- layout: a layered DAG (Sugiyama-style, kept small) ------------------------------------

  /**
   * Layers by longest path from the sources (sinks in the last layer), long edges broken by
   * dummy points, a few barycenter sweeps to reduce crossings, then y positions pulled towards
   * the neighbours' and spread to keep nodes apart.
   */
  function layout(g) {
    const names = g.nodes.map((n) => n.name);
    const known = new Set(names);
    const edges = g.edges.filter((e) => known.has(e.from) && known.has(e.to) && e.from !== e.to);
    const succ = new Map(names.map((n) => [n, []]));
    const pred = new Map(names.map((n) => [n, []]));
    for (const e of edges) {
      succ.get(e.from).push(e.to);
      pred.get(e.to).push(e.from);
    }

    // Longest path from the sources, in topological order (Kahn); a cycle (not expected) is cut.
    const layer = new Map();
    const indeg = new Map(names.map((n) => [n, pred.get(n).length]));
    const queue = names.filter((n) => indeg.get(n) === 0);
    for (const n of queue) layer.set(n, 0);
    for (let i = 0; i < queue.length; i++) {
      const n = queue[i];
      for (const s of succ.get(n)) {
        layer.set(s, Math.max(layer.get(s) ?? 0, layer.get(n) + 1));
        indeg.set(s, indeg.get(s) - 1);
        if (indeg.get(s) === 0) queue.push(s);
      }
    }
    for (const n of names) if (!layer.has(n)) layer.set(n, 0);
    const byName = new Map(g.nodes.map((n) => [n.name, n]));
    let last = 0;
    for (const n of names) last = Math.max(last, layer.get(n));
    // Sinks end the picture; a sink that something reads (not expected) stays where it is.
    for (const n of names) if (byName.get(n).role === 'sink' && succ.get(n).length === 0) layer.set(n, last);

    // Layers of real nodes and dummies (one per layer crossed by a long edge).
    const layers = Array.from({ length: last + 1 }, () => []);
    const items = new Map(); // id -> { id, layer, node?, up: [], down: [] }
    for (const n of names) {
      const it = { id: n, layer: layer.get(n), node: byName.get(n), up: [], down: [] };
      items.set(n, it);
      layers[it.layer].push(it);
    }
    const routes = edges.map((e, i) => {
      const a = layer.get(e.from);
      const b = layer.get(e.to);
      const chain = [items.get(e.from)];
      const lo = Math.min(a, b);
      const hi = Math.max(a, b);
      for (let l = lo + 1; l < hi; l++) {
        const d = { id: `#${i}:${l}`, layer: l, up: [], down: [] };
        items.set(d.id, d);
        layers[l].push(d);
        chain.push(d);
      }
      chain.push(items.get(e.to));
      if (a > b) chain.reverse();
      for (let k = 1; k < chain.length; k++) {
        chain[k - 1].down.push(chain[k]);
        chain[k].up.push(chain[k - 1]);
      }
      return { edge: e, chain };
    });

    // Order within layers: barycenter sweeps down and up, keep the best.
    const pos = new Map();
    const index = () => layers.forEach((l) => l.forEach((it, i) => pos.set(it, i)));
    index();
    const crossings = () => {
      let c = 0;
      for (let l = 0; l + 1 < layers.length; l++) {
        const segs = [];
        for (const it of layers[l]) for (const d of it.down) segs.push([pos.get(it), pos.get(d)]);
        for (let i = 0; i < segs.length; i++)
          for (let j = i + 1; j < segs.length; j++) if ((segs[i][0] - segs[j][0]) * (segs[i][1] - segs[j][1]) < 0) c++;
      }
      return c;
    };
    const sweep = (l, side) => {
      const bary = new Map();
      for (const it of layers[l]) {
        const nb = it[side];
        bary.set(it, nb.length === 0 ? pos.get(it) : nb.reduce((s, o) => s + pos.get(o), 0) / nb.length);
      }
      layers[l].sort((x, y) => bary.get(x) - bary.get(y) || pos.get(x) - pos.get(y));
      layers[l].forEach((it, i) => pos.set(it, i));
    };
    let best = layers.map((l) => l.slice());
    let bestC = crossings();
    for (let round = 0; round < 6 && bestC > 0; round++) {
      for (let l = 1; l < layers.length; l++) sweep(l, 'up');
      for (let l = layers.length - 2; l >= 0; l--) sweep(l, 'down');
      const c = crossings();
      if (c < bestC) {
        bestC = c;
        best = layers.map((l) => l.slice());
      }
    }
    best.forEach((l, i) => (layers[i] = l));
    index();

    // Vertical positions: each layer centred, then pulled towards its neighbours a few times.
    const size = (it) => (it.node ? NODE_H : 8);
    const y = new Map();
    let tallest = 0;
    for (const l of layers) {
      let h = 0;
      for (const it of l) h += size(it) + GAP_Y;
      tallest = Math.max(tallest, h - GAP_Y);
    }
    for (const l of layers) {
      let h = -GAP_Y;
      for (const it of l) h += size(it) + GAP_Y;
      let at = (tallest - h) / 2;
      for (const it of l) {
        y.set(it, at + size(it) / 2);
        at += size(it) + GAP_Y;
      }
    }
    // Places a layer's items as near their wanted centres as the order and the gaps allow:
    // overlapping neighbours merge into a block centred on the mean of what its items want.
    const place = (l, want) => {
      const blocks = [];
      for (const it of l) {
        let b = { items: [it], offsets: [size(it) / 2], h: size(it), sum: want(it) - size(it) / 2 };
        for (;;) {
          const a = blocks[blocks.length - 1];
          if (a === undefined || a.sum / a.items.length + a.h + GAP_Y <= b.sum / b.items.length) break;
          blocks.pop();
          const shift = a.h + GAP_Y;
          b = {
            items: a.items.concat(b.items),
            offsets: a.offsets.concat(b.offsets.map((o) => o + shift)),
            h: shift + b.h,
            sum: a.sum + b.sum - b.items.length * shift,
          };
        }
        blocks.push(b);
      }
      for (const b of blocks) {
        const top = b.sum / b.items.length;
        b.items.forEach((it, i) => y.set(it, top + b.offsets[i]));
      }
    };
    const mean = (nb) => nb.reduce((s, o) => s + y.get(o), 0) / nb.length;
    for (let round = 0; round < 6; round++) {
      const down = round % 2 === 0;
      const order = down ? layers : layers.slice().reverse();
      for (const l of order) {
        const side = (it) => (down ? it.up : it.down);
        place(l, (it) => (side(it).length > 0 ? mean(side(it)) : y.get(it)));
      }
    }
    // A last pass that weighs both sides, so that a node sits between what feeds it and what it feeds.
    for (const l of layers) place(l, (it) => (it.up.length + it.down.length > 0 ? mean(it.up.concat(it.down)) : y.get(it)));
    let top = Infinity;
    let bottom = -Infinity;
    for (const [it, v] of y) {
      top = Math.min(top, v - size(it) / 2);
      bottom = Math.max(bottom, v + size(it) / 2);
    }
    const x = (it) => MARGIN + it.layer * (NODE_W + GAP_X);
    const at = new Map();
    for (const it of items.values()) at.set(it, { x: x(it), y: MARGIN + y.get(it) - top });
    return {
      width: 2 * MARGIN + layers.length * NODE_W + (layers.length - 1) * GAP_X,
      height: 2 * MARGIN + Math.max(bottom - top, NODE_H),
      nodes: names.map((n) => ({ node: byName.get(n), ...at.get(items.get(n)) })),
      edges: routes.map((r) => ({ edge: r.edge, points: r.chain.map((it) => ({ it, ...at.get(it) })) })),
    };
  }

  /** A smooth path through an edge's points, from the right side of its source to the left of its target. */
  function edgePath(points) {
    const pts = points.map((p, i) => {
      if (!p.it.node) return [p.x + NODE_W / 2, p.y];
      return i === 0 ? [p.x + NODE_W, p.y] : [p.x - 6, p.y];
    });
    let d = `M${pts[0][0]},${pts[0][1]}`;
    for (let i = 1; i < pts.length; i++) {
      const [x0, y0] = pts[i - 1];
      const [x1, y1] = pts[i];
      const c = Math.max(24, (x1 - x0) / 2);
      d += ` C${x0 + c},${y0} ${x1 - c},${y1} ${x1},${y1}`;
    }
    return { d, mid: pts[Math.floor((pts.length - 1) / 2)], next: pts[Math.floor((pts.length - 1) / 2) + 1] };
  }

  // ---- drawing the graph (once per graph) ----------------------------------------------------

  function drawGraph(g) {
    const root = $('graph');
    root.replaceChildren();
    views.clear();
    const lay = layout(g);
    layoutSize = { w: lay.width, h: lay.height };
    root.setAttribute('viewBox', `0 0 ${lay.width} ${lay.height}`);
    applyZoom();

    const defs = svg('defs', {}, root);
    for (const [id, cls] of [
      ['arrow', 'arrow'],
      ['arrow-side', 'arrow side'],
    ]) {
      const m = svg(
        'marker',
        { id, viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: 7, markerHeight: 7, orient: 'auto-start-reverse' },
        defs,
      );
      svg('path', { d: 'M0,0 L10,5 L0,10 z', class: cls }, m);
    }

    const edgeLayer = svg('g', { class: 'edges' }, root);
    const labelLayer = svg('g', { class: 'edge-labels' }, root);
    for (const { edge, points } of lay.edges) {
      const side = edge.output !== undefined;
      const p = edgePath(points);
      const path = svg(
        'path',
        {
          d: p.d,
          class: side ? 'edge side' : 'edge',
          'marker-end': side ? 'url(#arrow-side)' : 'url(#arrow)',
          'data-from': edge.from,
          'data-to': edge.to,
        },
        edgeLayer,
      );
      if (side) {
        path.setAttribute('data-output', edge.output);
        const lx = p.next ? (p.mid[0] + p.next[0]) / 2 : p.mid[0];
        const ly = p.next ? (p.mid[1] + p.next[1]) / 2 : p.mid[1];
        const w = edge.output.length * 6.6 + 12;
        const lg = svg('g', { class: 'edge-label', transform: `translate(${lx},${ly})` }, labelLayer);
        svg('rect', { x: -w / 2, y: -9, width: w, height: 18, rx: 9 }, lg);
        svg('text', { x: 0, y: 4, 'text-anchor': 'middle' }, lg).textContent = edge.output;
      }
    }

    const nodeLayer = svg('g', { class: 'nodes' }, root);
    for (const { node, x, y } of lay.nodes) {
      const g = svg(
        'g',
        { class: `node role-${node.role} idle`, 'data-node': node.name, transform: `translate(${x},${y - NODE_H / 2})` },
        nodeLayer,
      );
      svg('title', {}, g).textContent = `${node.name} — ${node.kind} (${node.role}), ${node.label}, segment ${node.segment}`;
      svg('rect', { class: 'box', width: NODE_W, height: NODE_H, rx: 8 }, g);
      svg('rect', { class: 'stripe', width: 5, height: NODE_H - 12, x: 0, y: 6, rx: 2.5 }, g);
      const name = svg('text', { class: 'name', x: 14, y: 20 }, g);
      name.textContent = clip(node.name, 21);
      const kind = svg('text', { class: 'kind', x: 14, y: 36 }, g);
      kind.textContent = clip(node.role === node.kind ? node.role : `${node.kind} · ${node.role}`, 18);
      const queue = svg('text', { class: 'queue', x: NODE_W - 10, y: 36, 'text-anchor': 'end' }, g);
      const rate = svg('text', { class: 'rate', x: 14, y: 55, 'data-rate': '' }, g);
      rate.textContent = '–/s';
      const p99 = svg('text', { class: 'p99', x: NODE_W - 10, y: 55, 'text-anchor': 'end' }, g);
      const barBg = svg('rect', { class: 'qbar-bg', x: 14, y: NODE_H - 8, width: NODE_W - 24, height: 3, rx: 1.5 }, g);
      const bar = svg('rect', { class: 'qbar', x: 14, y: NODE_H - 8, width: 0, height: 3, rx: 1.5 }, g);
      barBg.style.display = 'none';
      bar.style.display = 'none';
      views.set(node.name, { node, g, rate, p99, queue, bar, barBg, health: 'idle', row: undefined });
    }
    $('graph-empty').hidden = lay.nodes.length > 0;
    buildTable(lay.nodes.map((n) => n.node));
  }

  function applyZoom() {
    const root = $('graph');
    const wrap = $('graph-wrap');
    const fitWidth = (wrap.clientWidth - 10) / layoutSize.w;
    let scale = 1;
    if (zoom === 'fit') scale = Math.min(1, fitWidth, (wrap.clientHeight - 10) / layoutSize.h);
    else if (zoom === 'auto' && fitWidth < 1 && fitWidth >= MIN_AUTO_SCALE) scale = fitWidth;
    root.setAttribute('width', String(Math.max(1, Math.floor(layoutSize.w * scale))));
    root.setAttribute('height', String(Math.max(1, Math.floor(layoutSize.h * scale))));
    $('zoom-fit').classList.toggle('on', zoom === 'fit');
    $('zoom-1').classList.toggle('on', zoom === 'actual');
  }

  // ---- the table -----------------------------------------------------------------------------

  const COLUMNS = ['in', 'out', 'total', 'p99', 'queue', 'errors', 'busy', 'bp'];

  function buildTable(nodes) {
    const body = document.querySelector('#nodes tbody');
    body.replaceChildren();
    for (const node of nodes) {
      const tr = document.createElement('tr');
      tr.dataset.row = node.name;
      const name = document.createElement('td');
      name.className = 'name';
      const dot = document.createElement('span');
      dot.className = 'dot';
      name.append(dot, node.name);
      const kind = document.createElement('td');
      kind.className = 'muted';
      kind.textContent = node.role === node.kind ? node.role : `${node.kind}`;
      tr.append(name, kind);
      const cells = {};
      for (const c of COLUMNS) {
        const td = document.createElement('td');
        td.className = 'num';
        td.textContent = '–';
        tr.appendChild(td);
        cells[c] = td;
      }
      body.appendChild(tr);
      views.get(node.name).row = { tr, cells };
    }
  }

  // ---- reading a snapshot --------------------------------------------------------------------

  /** What one node did between two snapshots. */
  function figures(view, s, p, dt) {
    const name = view.node.name;
    const rate = (a, b) => (b === undefined || a === undefined || dt <= 0 ? undefined : Math.max(0, (a - b) / dt));
    const f = {
      in: undefined,
      out: undefined,
      total: undefined,
      p99: undefined,
      queue: undefined,
      errors: 0,
      busy: undefined,
      bp: undefined,
      health: 'ok',
    };
    if (view.node.role === 'source') {
      const cur = s.sources[name];
      const old = p?.sources[name];
      if (!cur) return undefined;
      f.out = rate(cur.records, old?.records);
      f.total = cur.records;
      f.bp = cur.backPressuredTimeMsPerSecond;
      f.queue = cur.bufferCapacity ? (cur.bufferFill ?? 0) / cur.bufferCapacity : undefined;
      const pausedRise = old && dt > 0 ? (cur.pausedMs - old.pausedMs) / (dt * 1000) : 0;
      if ((f.bp ?? 0) > BACKPRESSURED_MS_PER_S || pausedRise > BACKPRESSURED_MS_PER_S / 1000) f.health = 'bp';
      f.errors = cur.deadLettered ?? 0;
      if (old && f.errors > (old.deadLettered ?? 0)) f.health = 'err';
      f.rate = f.out;
    } else if (view.node.role === 'stage') {
      const cur = s.stages[name];
      const old = p?.stages[name];
      if (!cur) return undefined;
      f.in = rate(cur.recordsIn, old?.recordsIn);
      f.out = rate(cur.recordsOut, old?.recordsOut);
      f.total = cur.recordsIn;
      f.p99 = cur.latency?.p99;
      f.queue = cur.queueFill;
      f.errors = cur.errors;
      f.busy = cur.busyTimeMsPerSecond;
      f.bp = cur.backPressuredTimeMsPerSecond;
      if ((f.bp ?? 0) > BACKPRESSURED_MS_PER_S) f.health = 'bp';
      if (old && cur.errors > old.errors) f.health = 'err';
      f.rate = f.in;
    } else {
      const cur = s.sinks[name];
      const old = p?.sinks[name];
      if (!cur) return undefined;
      f.in = rate(cur.records, old?.records);
      f.total = cur.records;
      f.p99 = cur.endToEnd?.p99 ?? cur.latency?.p99;
      f.queue = cur.queueFill;
      f.errors = cur.errors ?? 0;
      f.busy = cur.busyTimeMsPerSecond;
      if (old && (cur.errors ?? 0) > (old.errors ?? 0)) f.health = 'err';
      f.rate = f.in;
    }
    return f;
  }

  /** Seconds between two snapshots: by the pipeline clock when it is given, else by uptime. */
  function secondsBetween(s, p) {
    if (!p) return 0;
    if (typeof s.at === 'number' && typeof p.at === 'number' && s.at > p.at) return (s.at - p.at) / 1000;
    if (s.uptimeMs > p.uptimeMs) return (s.uptimeMs - p.uptimeMs) / 1000;
    return 0;
  }

  // ---- charts (uPlot) ------------------------------------------------------------------------

  const PALETTE = ['#4cc9f0', '#f72585', '#80ed99', '#ffd166', '#b388ff', '#ff8fab', '#06d6a0', '#f4a261'];
  let charts; // { throughput: { plot, data, keys }, latency: {...} }

  const clock = (seconds) => new Date(seconds * 1000).toLocaleTimeString([], { hour12: false });
  const decades = (_u, splits) => splits.map((v) => (Math.abs(Math.log10(v) % 1) < 1e-9 ? v : null));

  function chartOptions(el, series, unit) {
    const axis = {
      stroke: '#8b95a7',
      grid: { stroke: 'rgba(139,149,167,0.12)', width: 1 },
      ticks: { stroke: 'rgba(139,149,167,0.25)', width: 1 },
      font: '11px system-ui, sans-serif',
    };
    return {
      width: Math.max(200, el.clientWidth),
      height: 210,
      legend: { live: true },
      cursor: { drag: { x: false, y: false } },
      // Latencies span orders of magnitude (a 0.05 ms filter, a 1 s window): a log scale shows both.
      scales: {
        x: { time: true },
        y: unit === 'ms' ? { distr: 3, log: 10 } : { range: (_u, _min, max) => [0, max > 0 ? max * 1.1 : 1] },
      },
      axes: [
        {
          ...axis,
          space: 70,
          incrs: [1, 2, 5, 10, 15, 30, 60, 120, 300, 600],
          values: (_u, splits) => splits.map(clock),
        },
        {
          ...axis,
          size: 56,
          // On the log scale, only the powers of ten get a label and a grid line.
          ...(unit === 'ms' ? { filter: decades, grid: { ...axis.grid, filter: decades }, ticks: { ...axis.ticks, filter: decades } } : {}),
          values: (_u, vals) => vals.map((v) => (v === null ? '' : unit === 'ms' ? ms(v).replace(' ', '') : num(v))),
        },
      ],
      series: [
        { value: (_u, v) => (v === null || v === undefined ? '–' : clock(v)) },
        ...series.map((s, i) => ({
          label: s.label,
          stroke: s.color ?? PALETTE[i % PALETTE.length],
          width: 1.6,
          dash: s.dash,
          fill: s.fill,
          points: { show: false },
          value: (_u, v) => (v === null || v === undefined ? '–' : unit === 'ms' ? ms(v) : `${num(v)}/s`),
        })),
      ],
    };
  }

  function makeCharts(g) {
    for (const el of [$('chart-throughput'), $('chart-latency')]) el.replaceChildren();
    const sources = g.nodes.filter((n) => n.role === 'source');
    const sinks = g.nodes.filter((n) => n.role === 'sink');
    const tSeries = [
      ...sources.map((n, i) => ({
        key: ['source', n.name],
        label: `read · ${n.name}`,
        color: PALETTE[i % PALETTE.length],
        fill: i === 0 ? 'rgba(76,201,240,0.08)' : undefined,
      })),
      ...sinks.map((n, i) => ({
        key: ['sink', n.name],
        label: `written · ${n.name}`,
        color: PALETTE[(sources.length + i) % PALETTE.length],
      })),
    ];
    const lSeries = [
      ...sinks.map((n, i) => ({
        key: ['e2e', n.name],
        label: `end-to-end p99 · ${n.name}`,
        color: PALETTE[(sources.length + i) % PALETTE.length],
      })),
      { key: ['slowest'], label: 'slowest stage p99', color: '#ffd166', dash: [5, 4] },
    ];
    charts = {};
    for (const [id, series, unit] of [
      ['throughput', tSeries, 'rate'],
      ['latency', lSeries, 'ms'],
    ]) {
      const el = $(`chart-${id}`);
      const data = [[], ...series.map(() => [])];
      // uPlot is loaded before this file; without it (blocked) the rest of the page still works.
      const plot = typeof uPlot === 'function' ? new uPlot(chartOptions(el, series, unit), data, el) : undefined;
      charts[id] = { plot, data, series, el, dirty: false };
    }
  }

  function pushChartPoint(s, p, dt) {
    if (!charts || dt <= 0) return;
    const t = (typeof s.at === 'number' && s.at > 1e12 ? s.at : Date.now()) / 1000;
    const rate = (a, b) => (a === undefined || b === undefined ? null : Math.max(0, (a - b) / dt));
    let slowest = null;
    for (const name in s.stages) {
      const v = s.stages[name].latency?.p99;
      if (v !== undefined && (slowest === null || v > slowest)) slowest = v;
    }
    // A log scale has no 0: an empty latency window is a gap.
    const positive = (v) => (typeof v === 'number' && v > 0 ? v : null);
    const value = (key) => {
      switch (key[0]) {
        case 'source':
          return rate(s.sources[key[1]]?.records, p.sources[key[1]]?.records);
        case 'sink':
          return rate(s.sinks[key[1]]?.records, p.sinks[key[1]]?.records);
        case 'e2e':
          return positive(s.sinks[key[1]]?.endToEnd?.p99);
        default:
          return positive(slowest);
      }
    };
    for (const c of Object.values(charts)) {
      const xs = c.data[0];
      if (xs.length > 0 && t <= xs[xs.length - 1]) continue;
      xs.push(t);
      c.series.forEach((sr, i) => c.data[i + 1].push(value(sr.key)));
      let drop = 0;
      while (drop < xs.length && xs[drop] < t - WINDOW_S) drop++;
      if (drop > 0) for (const arr of c.data) arr.splice(0, drop);
      c.dirty = true;
    }
  }

  function resizeCharts() {
    if (!charts) return;
    for (const c of Object.values(charts)) if (c.plot) c.plot.setSize({ width: Math.max(200, c.el.clientWidth), height: 210 });
  }

  // ---- rendering a snapshot (in an animation frame) ------------------------------------------

  function schedule() {
    if (frame === 0) frame = requestAnimationFrame(render);
  }

  let pending; // { s, p, dt } to draw

  function render() {
    frame = 0;
    if (!pending || !graph) return;
    const { s, p, dt } = pending;
    pending = undefined;
    document.body.dataset.snapshots = String(snapshots);

    const state = s.state ?? '–';
    const stateEl = $('state');
    setText(stateEl, state);
    stateEl.dataset.state = state;
    setText($('uptime'), duration(s.uptimeMs));

    let total;
    const bottleneck = s.bottleneck?.node;
    for (const view of views.values()) {
      const f = figures(view, s, p, dt);
      if (!f) continue;
      if (view.node.role === 'source' && f.out !== undefined) total = (total ?? 0) + f.out;
      const health = bottleneck === view.node.name ? `${f.health} bottleneck` : f.health;
      if (view.health !== health) {
        view.g.setAttribute('class', `node role-${view.node.role} ${health}`);
        if (view.row) view.row.tr.className = health;
        view.health = health;
      }
      setText(view.rate, `${num(f.rate)}/s`);
      view.rate.setAttribute('data-rate', f.rate === undefined ? '' : String(Math.round(f.rate)));
      view.g.setAttribute('data-total', String(f.total ?? 0));
      setText(view.p99, f.p99 === undefined ? '' : `p99 ${ms(f.p99)}`);
      setText(view.queue, f.queue === undefined ? '' : `queue ${pct(f.queue)}`);
      const showBar = f.queue !== undefined;
      view.bar.style.display = showBar ? '' : 'none';
      view.barBg.style.display = showBar ? '' : 'none';
      if (showBar) {
        const q = Math.min(1, Math.max(0, f.queue));
        view.bar.setAttribute('width', String(Math.max(q > 0 ? 2 : 0, q * (NODE_W - 24))));
        view.bar.setAttribute('class', q > 0.8 ? 'qbar high' : q > 0.5 ? 'qbar mid' : 'qbar');
      }
      if (view.row) {
        const c = view.row.cells;
        setText(c.in, view.node.role === 'source' ? '' : num(f.in));
        setText(c.out, view.node.role === 'sink' ? '' : num(f.out));
        setText(c.total, num(f.total));
        setText(c.p99, f.p99 === undefined ? '–' : ms(f.p99));
        setText(c.queue, pct(f.queue));
        setText(c.errors, num(f.errors));
        setText(c.busy, f.busy === undefined ? '–' : `${Math.round(f.busy / 10)}%`);
        setText(c.bp, f.bp === undefined ? '–' : `${Math.round(f.bp)} ms/s`);
      }
    }
    setText($('total-rate'), total === undefined ? '–' : num(total));
    const bn = $('bottleneck');
    setText(bn, s.bottleneck ? s.bottleneck.message || `bottleneck: ${s.bottleneck.node}` : 'none');
    bn.classList.toggle('alert', s.bottleneck !== undefined);

    if (charts) {
      // Latency figures are optional in the stats: say so rather than show an empty chart.
      const lat = charts.latency.data;
      $('latency-note').hidden = lat.slice(1).some((arr) => arr.some((v) => v !== null));
      for (const c of Object.values(charts)) {
        if (c.dirty && c.plot) {
          c.plot.setData(c.data);
          // Without a cursor over the chart, its legend shows the newest values.
          if (!(c.plot.cursor.left >= 0)) c.plot.setLegend({ idx: c.data[0].length - 1 });
        }
        c.dirty = false;
      }
    }
  }

  function onStats(s, via) {
    if (!s || typeof s !== 'object') return;
    const p = prev;
    // The same snapshot twice (from the stream and from a poll) changes nothing.
    if (p && s.uptimeMs === p.uptimeMs && s.at === p.at && s.state === p.state) return;
    lastStatsAt = Date.now();
    document.body.dataset.statsVia = via;
    const name = s.name ?? s.pipeline;
    if (typeof name === 'string' && name !== pipelineName) setName(name);
    const dt = secondsBetween(s, p);
    // A snapshot from a restarted pipeline (uptime went back) starts the rates afresh.
    const base = p && dt > 0 ? p : undefined;
    if (base) pushChartPoint(s, base, dt);
    prev = s;
    latest = s;
    snapshots++;
    pending = { s, p: base, dt: base ? dt : 0 };
    schedule();
  }

  function onGraph(g) {
    if (!g || !Array.isArray(g.nodes)) return;
    // The graph itself has no name; a server may add the pipeline's.
    const name = g.name ?? g.pipeline;
    if (typeof name === 'string') setName(name);
    const key = JSON.stringify({ n: g.nodes, e: g.edges });
    if (key === graphKey) return;
    graphKey = key;
    graph = g;
    prev = undefined;
    drawGraph(g);
    makeCharts(g);
    if (latest) {
      const s = latest;
      latest = undefined;
      onStats(s, document.body.dataset.statsVia ?? 'stream');
    }
  }

  function setName(name) {
    pipelineName = name;
    setText($('pipeline-name'), name);
    document.title = `${name} · Sluice`;
  }

  // ---- events list ---------------------------------------------------------------------------

  function addEvent(kind, text, level) {
    const list = $('events');
    const li = document.createElement('li');
    li.className = level ?? 'info';
    const time = document.createElement('time');
    time.textContent = new Date().toLocaleTimeString([], { hour12: false });
    const k = document.createElement('span');
    k.className = 'ev-kind';
    k.textContent = kind;
    const t = document.createElement('span');
    t.className = 'ev-text';
    t.textContent = text;
    li.append(time, k, t);
    list.querySelector('.none')?.remove();
    list.prepend(li);
    while (list.children.length > MAX_EVENTS) list.lastElementChild.remove();
  }

  const describe = {
    lifecycle: (e) => {
      if (typeof e.pipeline === 'string' && pipelineName === undefined) setName(e.pipeline);
      if (typeof e.state === 'string') {
        setText($('state'), e.state);
        $('state').dataset.state = e.state;
      }
      return [`${e.state}${e.error ? `: ${e.error.message}` : ''}`, e.state === 'failed' ? 'err' : 'info'];
    },
    backpressure: (e) => [
      `${e.node} ${e.on ? 'backpressured' : 'flowing again'} (${Math.round(e.backPressuredTimeMsPerSecond)} ms/s)`,
      e.on ? 'warn' : 'info',
    ],
    bottleneck: (e) => [e.current ? e.current.message : `no bottleneck (was ${e.previous?.node ?? '–'})`, e.current ? 'warn' : 'info'],
    'checkpoint:started': (e) => [`#${e.id} started`, 'info'],
    'checkpoint:completed': (e) => [`#${e.id} stored in ${ms(e.durationMs)}, ${num(e.sizeBytes)}B`, 'info'],
    'checkpoint:failed': (e) => [`#${e.id} failed: ${e.error}`, 'err'],
    'checkpoint:restored': (e) => [`restored from #${e.id}`, 'info'],
    'stage:error': (e) => [`${e.stage}: ${e.error?.message ?? 'error'} (attempt ${e.attempt}, ${e.decision})`, 'err'],
    'dead-letter': (e) => [`${e.stage ?? e.node ?? ''} ${e.error?.message ?? ''}`.trim() || 'a record', 'err'],
  };

  // ---- the connection ------------------------------------------------------------------------

  let source;
  let retry = 0;
  let retryTimer = 0;

  function status(state, text) {
    const el = $('conn');
    el.dataset.status = state;
    setText($('conn-text'), text);
  }

  function connect() {
    clearTimeout(retryTimer);
    status('connecting', retry === 0 ? 'connecting' : 'reconnecting…');
    const es = new EventSource(url('events'));
    source = es;
    const parse = (fn) => (m) => {
      let data;
      try {
        data = JSON.parse(m.data);
      } catch {
        return;
      }
      fn(data);
    };
    es.onopen = () => {
      retry = 0;
      status('live', 'live');
    };
    es.onerror = () => {
      if (source !== es) return;
      // The browser retries by itself while the stream is CONNECTING; a CLOSED stream (refused,
      // or an error status) is ours to reopen, with a growing delay.
      if (es.readyState === EventSource.CLOSED) {
        es.close();
        retry++;
        const delay = Math.min(10_000, 500 * 2 ** Math.min(retry, 5));
        status('down', `disconnected, retrying in ${Math.round(delay / 1000)}s`);
        retryTimer = setTimeout(connect, delay);
      } else {
        status('connecting', 'reconnecting…');
      }
    };
    es.addEventListener('graph', parse(onGraph));
    es.addEventListener(
      'stats',
      parse((s) => onStats(s, 'stream')),
    );
    for (const kind of Object.keys(describe)) {
      es.addEventListener(
        kind,
        parse((e) => {
          const [text, level] = describe[kind](e);
          addEvent(kind, text, level);
        }),
      );
    }
  }

  async function fetchJson(path) {
    const res = await fetch(url(path), { headers: { accept: 'application/json' } });
    if (!res.ok) throw new Error(`${path}: ${res.status}`);
    return res.json();
  }

  // ---- start ---------------------------------------------------------------------------------

  $('zoom-fit').addEventListener('click', () => {
    zoom = zoom === 'fit' ? 'auto' : 'fit';
    applyZoom();
  });
  $('zoom-1').addEventListener('click', () => {
    zoom = zoom === 'actual' ? 'auto' : 'actual';
    applyZoom();
  });
  let resizeTimer = 0;
  window.addEventListener('resize', () => {
    clearTimeout(resizeTimer);
    resizeTimer = setTimeout(() => {
      resizeCharts();
      if (graph) applyZoom();
    }, 150);
  });

  // The stream sends the graph and a snapshot on connect; fetching them too draws the page even
  // where a proxy holds the stream back.
  fetchJson('graph')
    .then(onGraph)
    .then(() => fetchJson('stats'))
    .then((s) => {
      if (prev === undefined) onStats(s, 'fetch');
    })
    .catch(() => undefined);
  connect();

  // The graph and the stats do not carry the pipeline's name; the Prometheus text labels every
  // sample with it. (A name in the graph or the stats, should a server add one, wins.)
  fetch(url('metrics'))
    .then((res) => (res.ok ? res.text() : ''))
    .then((text) => {
      const m = /^sluice_pipeline_up\{(?:[^}]*,)?pipeline="((?:[^"\\]|\\.)*)"/m.exec(text);
      if (m && pipelineName === undefined) setName(m[1].replace(/\\n/g, '\n').replace(/\\(.)/g, '$1'));
    })
    .catch(() => undefined);

  // The stream brings a snapshot every interval. Should none come for a while (a pipeline that
  // publishes no periodic stats, a proxy that buffers the stream), the page asks for them.
  let polling = false;
  setInterval(() => {
    if (!graph || polling || Date.now() - lastStatsAt < POLL_AFTER_MS) return;
    if (latest && (latest.state === 'stopped' || latest.state === 'failed')) return;
    polling = true;
    fetchJson('stats')
      .then((s) => onStats(s, 'poll'))
      .catch(() => undefined)
      .finally(() => (polling = false));
  }, 1000);
})();
