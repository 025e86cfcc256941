// The Flowline dashboard (issue 17, docs/dashboard.md). Live views use server-sent events: the page never polls.
'use strict';
(() => {
  const $ = (s) => document.querySelector(s);
  const el = (tag, props = {}, ...children) => {
    const e = document.createElement(tag);
    Object.entries(props).forEach(([k, v]) => (k in e ? (e[k] = v) : e.setAttribute(k, v)));
    children.forEach((c) => e.append(c));
    return e;
  };
  const post = async (url, body) => {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-Flowline-Request': '1' },
      body: JSON.stringify(body ?? {}),
    });
    const json = await response.json().catch(() => ({ errors: [response.statusText] }));
    if (!response.ok) throw new Error((json.errors || []).join('\n'));
    return json;
  };
  const ms = (n) => (n == null ? '' : n < 1000 ? `${n} ms` : n < 60000 ? `${(n / 1000).toFixed(1)} s` : `${Math.floor(n / 60000)} m ${Math.round((n % 60000) / 1000)} s`);
  const time = (t) => (t ? new Date(t).toLocaleString() : '');
  // What started a run and who (issue 17); a run recorded before Flowline kept it shows a dash.
  const startedBy = (r) => (!r.origin ? '—' : r.startedBy ? `${r.origin} (${r.startedBy})` : r.origin);
  const badge = (status) => el('span', { className: `status ${status}`, textContent: status });

  const runMatch = location.pathname.match(/^\/runs\/([^/]+)$/);
  if (runMatch) runPage(decodeURIComponent(runMatch[1])); else runsPage();

  // ---- runs page ----
  function runsPage() {
    $('#runs-page').hidden = false;
    let workflows = [];
    fetch('/api/workflows').then((r) => r.json()).then((json) => {
      workflows = json.workflows;
      const select = $('#workflow-select');
      workflows.forEach((w, i) => select.append(el('option', { value: w.file, textContent: `${w.name} (${w.file})` })));
      select.onchange = () => fields(workflows.find((w) => w.file === select.value));
      fields(workflows[0]);
    });
    $('#start-form').onsubmit = async (e) => {
      e.preventDefault();
      $('#start-errors').textContent = '';
      const variables = {};
      document.querySelectorAll('#variable-fields [data-var]').forEach((input) => {
        const type = input.dataset.type;
        if (type === 'boolean') variables[input.dataset.var] = input.checked;
        else if (input.value !== '') variables[input.dataset.var] = type === 'number' ? Number(input.value) : type === 'list' ? JSON.parse(input.value) : input.value;
      });
      try {
        const started = await post('/api/runs', { file: $('#workflow-select').value, variables });
        location.href = `/runs/${started.runId}`;
      } catch (error) { $('#start-errors').textContent = error.message; }
    };
    let source;
    const follow = () => {
      source?.close();
      const query = new URLSearchParams();
      if ($('#filter-workflow').value) query.set('workflow', $('#filter-workflow').value);
      if ($('#filter-status').value) query.set('status', $('#filter-status').value);
      source = new EventSource(`/api/runs/events?${query}`);
      source.addEventListener('runs', (e) => table(JSON.parse(e.data).runs));
    };
    $('#filter-workflow').onchange = follow;
    $('#filter-status').onchange = follow;
    follow();
  }

  function fields(workflow) {
    const box = $('#variable-fields');
    box.replaceChildren();
    (workflow?.variables || []).forEach((v) => {
      let input;
      if (v.enum) {
        input = el('select');
        if (!v.required) input.append(el('option', { value: '', textContent: '' }));
        v.enum.forEach((o) => input.append(el('option', { value: String(o), textContent: String(o), selected: o === v.default })));
      } else if (v.type === 'boolean') {
        input = el('input', { type: 'checkbox', checked: v.default === true });
      } else {
        input = el('input', { type: v.type === 'number' ? 'number' : 'text', placeholder: v.default == null ? '' : JSON.stringify(v.default) });
      }
      input.dataset.var = v.name;
      input.dataset.type = v.type;
      input.name = `var-${v.name}`;
      box.append(el('label', { title: v.description || '' }, `${v.name}${v.required ? ' *' : ''}`, input));
    });
  }

  function table(runs) {
    const body = $('#runs-table tbody');
    body.replaceChildren(...runs.map((r) => el('tr', { 'data-run': r.runId, 'data-status': r.status },
      el('td', {}, el('a', { href: `/runs/${r.runId}`, textContent: r.runId.slice(-8) })),
      el('td', { textContent: r.workflow }),
      el('td', {}, badge(r.status)),
      el('td', { textContent: time(r.startedAt) }),
      el('td', { textContent: ms(r.durationMs) }),
      el('td', { textContent: r.failedSteps ? `${r.steps} (${r.failedSteps} failed)` : `${r.steps}` }),
      el('td', { className: 'started-by', textContent: startedBy(r) }),
      el('td', { textContent: r.file || '' }))));
  }

  // ---- run page ----
  function runPage(runId) {
    $('#run-page').hidden = false;
    const steps = new Map();
    let run, cy, selected, logSource;
    performance.mark('flowline:fetch-start');
    fetch(`/api/runs/${runId}`).then(async (r) => {
      if (!r.ok) { $('#run-workflow').textContent = (await r.json()).errors.join(' '); return; }
      const json = await r.json();
      performance.mark('flowline:fetch-end');
      run = json;
      json.steps.forEach((s) => steps.set(s.id, s));
      json.graph.nodes.forEach((id) => steps.has(id) || steps.set(id, { id, status: 'pending' }));
      head(json);
      $('#run-summary').textContent = json.summary;
      // The timeline (a lane per step) is drawn once the graph's first frame is up, so a big run's graph waits for nothing.
      cy = graph(json.graph, () => { timelineShown = true; timeline(); });
      live();
    });

    function live() {
      const source = new EventSource(`/api/runs/${run.runId}/events`);
      source.addEventListener('step', (e) => {
        const step = JSON.parse(e.data);
        steps.set(step.id, step);
        if (cy) {
          if (cy.getElementById(step.id).empty()) cy.add({ data: { id: step.id, label: step.id, status: step.status } });
          cy.getElementById(step.id).data('status', step.status);
        }
        redrawTimeline();
        if (selected === step.id) facts(step);
      });
      source.addEventListener('run', (e) => head(Object.assign(run, JSON.parse(e.data))));
      source.addEventListener('end', async () => {
        source.close();
        const json = await (await fetch(`/api/runs/${run.runId}`)).json();
        head(Object.assign(run, json));
        $('#run-summary').textContent = json.summary;
      });
    }

    function head(r) {
      $('#where').textContent = `run ${r.runId}`;
      $('#run-workflow').textContent = r.workflow;
      $('#run-status').replaceWith(Object.assign(badge(r.status), { id: 'run-status' }));
      $('#run-meta').textContent = `started ${time(r.startedAt)} by ${startedBy(r)}${r.durationMs != null ? ` · ${ms(r.durationMs)}` : ''}${r.file ? ` · ${r.file}` : ''}${r.resumedFrom ? ` · resumes ${r.resumedFrom}` : ''}${r.error ? ` · ${r.error}` : ''}`;
      $('#cancel-button').hidden = r.status !== 'running';
      $('#resume-button').hidden = !['failed', 'cancelled', 'interrupted'].includes(r.status);
    }

    $('#cancel-button').onclick = () => action('cancel');
    $('#resume-button').onclick = () => action('resume');
    async function action(name) {
      $('#action-errors').textContent = '';
      try {
        const json = await post(`/api/runs/${run.runId}/${name}`);
        if (name === 'resume') location.href = `/runs/${json.runId}`;
      } catch (error) { $('#action-errors').textContent = error.message; }
    }

    function graph(g, drawn) {
      // docs/performance.md "Dashboard": a 1,000-step run's graph within 2 s. Big graphs (over 200 steps) take the
      // cheaper settings, each measured there: straight "haystack" edges without arrowheads (the left-to-right ranks
      // already say which way each edge goes, and cytoscape then skips each edge's endpoint and curve geometry), labels
      // drawn only where they are big enough to read, one pixel per CSS pixel, and a first view at a readable zoom on
      // the graph's start instead of the whole graph as dots (the Fit button shows it all). Widths come from the
      // label's length instead of measuring each label's text.
      const big = g.nodes.length > 200;
      const edgeStyle = big
        ? { width: 1.5, 'curve-style': 'haystack', 'haystack-radius': 0, 'line-color': '#90a4ae' }
        : { width: 1.5, 'curve-style': 'bezier', 'target-arrow-shape': 'triangle', 'line-color': '#90a4ae', 'target-arrow-color': '#90a4ae' };
      performance.mark('flowline:graph-start');
      const instance = cytoscape({
        container: $('#graph'),
        wheelSensitivity: 0.3,
        style: [
          { selector: 'node', style: { label: 'data(label)', shape: 'round-rectangle', width: 'data(w)', height: 26, 'text-valign': 'center', color: '#fff', 'font-size': 11, 'background-color': '#90a4ae', 'min-zoomed-font-size': big ? 8 : 0 } },
          { selector: 'node[status="pending"]', style: { 'background-color': '#cfd8dc', color: '#333' } },
          { selector: 'node[status="running"]', style: { 'background-color': '#1e88e5' } },
          { selector: 'node[status="completed"]', style: { 'background-color': '#2e7d32' } },
          { selector: 'node[status="failed"]', style: { 'background-color': '#c62828' } },
          { selector: 'node[status="skipped"]', style: { 'background-color': '#9e9e9e' } },
          { selector: 'node[status="cancelled"]', style: { 'background-color': '#ef6c00' } },
          { selector: 'node:selected', style: { 'border-width': 3, 'border-color': '#17212b' } },
          { selector: 'edge', style: edgeStyle },
          { selector: 'edge[implicit = 1]', style: { 'line-style': 'dashed' } },
        ],
        pixelRatio: big ? 1 : 'auto',
        hideEdgesOnViewport: big,
        textureOnViewport: big,
        maxZoom: 1.6,
      });
      window.flowlineGraph = instance;
      instance.on('tap', 'node', (e) => select(e.target.id()));
      $('#fit-button').onclick = () => instance.fit(undefined, 10);
      // A big graph is added after cytoscape's first (empty) frame: that first frame draws every element into its
      // layer textures at once, later ones queue that work for idle time and draw only what the viewport shows.
      if (big) instance.one('render', () => populate(instance, g, big, drawn)); else populate(instance, g, big, drawn);
      return instance;
    }

    function populate(instance, g, big, drawn) {
      // Steps that live events added before this ran are already there.
      const elements = g.nodes.filter((id) => instance.getElementById(id).empty())
        .map((id) => ({ data: { id, label: id, w: 7 * id.length + 18, status: steps.get(id).status } }))
        .concat(g.edges.map((e) => ({ data: { id: `${e.from}->${e.to}`, source: e.from, target: e.to, implicit: e.implicit ? 1 : 0 } })));
      instance.batch(() => instance.add(elements));
      performance.mark('flowline:elements-added');
      instance.layout({ name: 'dagre', rankDir: 'LR', nodeSep: 12, rankSep: 40, animate: false, fit: !big, padding: 10, ranker: big ? 'longest-path' : 'network-simplex' }).run();
      if (big) showStart(instance);
      performance.mark('flowline:layout-done');
      window.flowlineGraphRenderMs = performance.measure('flowline:elements-style-layout', 'flowline:graph-start', 'flowline:layout-done').duration;
      instance.one('render', () => {
        performance.mark('flowline:first-frame');
        const span = (from, to) => Math.round(performance.measure(`flowline:${from}->${to}`, `flowline:${from}`, `flowline:${to}`).duration);
        window.flowlineGraphDrawnMs = performance.measure('flowline:graph-first-frame', 'flowline:graph-start', 'flowline:first-frame').duration;
        window.flowlineGraphTimings = {
          fetchMs: span('fetch-start', 'fetch-end'),
          addMs: span('graph-start', 'elements-added'),
          layoutMs: span('elements-added', 'layout-done'),
          paintMs: span('layout-done', 'first-frame'),
          graphMs: Math.round(window.flowlineGraphDrawnMs),
          sinceNavigationMs: Math.round(performance.getEntriesByName('flowline:first-frame')[0].startTime),
        };
        drawn();
      });
    }

    // Zoom 1 on the graph's first ranks (its roots, on the left), from the nodes' positions alone.
    function showStart(instance) {
      let x1 = Infinity, y1 = Infinity;
      instance.nodes().forEach((n) => {
        const p = n.position();
        x1 = Math.min(x1, p.x - n.data('w') / 2); y1 = Math.min(y1, p.y - 13);
      });
      instance.viewport({ zoom: 1, pan: { x: 10 - x1, y: 10 - y1 } });
    }

    // A run's first events bring every step at once (1,000 for a big run): one redraw per burst, not one per event.
    let redrawQueued = false, timelineShown = false;
    function redrawTimeline() {
      if (redrawQueued || !timelineShown) return;
      redrawQueued = true;
      setTimeout(() => { redrawQueued = false; timeline(); }, 50);
    }

    function timeline() {
      const all = [...steps.values()];
      const starts = all.map((s) => s.startedAt && Date.parse(s.startedAt)).filter(Boolean);
      const t0 = starts.length ? Math.min(...starts) : 0;
      const now = Date.now();
      const ends = all.map((s) => (s.finishedAt ? Date.parse(s.finishedAt) : s.startedAt ? now : 0));
      const span = Math.max(1, Math.max(t0, ...ends) - t0);
      const ordered = all.slice().sort((a, b) => (Date.parse(a.startedAt || 0) || Infinity) - (Date.parse(b.startedAt || 0) || Infinity));
      $('#timeline').replaceChildren(...ordered.map((s) => {
        const start = s.startedAt ? Date.parse(s.startedAt) - t0 : 0;
        const end = s.finishedAt ? Date.parse(s.finishedAt) - t0 : s.startedAt ? now - t0 : 0;
        const bar = el('div', { className: 'bar', title: `${s.id}: ${s.status} ${ms(s.durationMs)}` });
        bar.style.left = `${(100 * start) / span}%`;
        bar.style.width = s.startedAt ? `${(100 * (end - start)) / span}%` : '0';
        const lane = el('div', { className: `lane${selected === s.id ? ' selected' : ''}`, 'data-step': s.id, 'data-status': s.status },
          el('span', { className: 'name', textContent: s.id }), el('div', { className: 'track' }, bar));
        lane.onclick = () => select(s.id);
        return lane;
      }));
    }

    function select(id) {
      selected = id;
      cy?.$('node:selected').unselect();
      cy?.getElementById(id).select();
      $('#step-panel').hidden = false;
      $('#step-title').textContent = id;
      facts(steps.get(id));
      timeline();
      logSource?.close();
      const log = $('#step-log');
      log.replaceChildren();
      logSource = new EventSource(`/api/runs/${run.runId}/steps/${encodeURIComponent(id)}/log?follow=true`);
      logSource.addEventListener('line', (e) => {
        const line = JSON.parse(e.data);
        log.append(el('div', { className: line.stream, textContent: line.text }));
        while (log.childElementCount > 5000) log.firstChild.remove();
        log.scrollTop = log.scrollHeight;
      });
      logSource.addEventListener('end', () => logSource.close());
    }

    function facts(s) {
      $('#step-status').replaceWith(Object.assign(badge(s.status), { id: 'step-status' }));
      const rows = [['Status', s.status], ['Attempts', s.attempts], ['Exit code', s.exitCode], ['Started', time(s.startedAt)],
        ['Finished', time(s.finishedAt)], ['Duration', ms(s.durationMs)], ['Level', s.level],
        [s.status === 'skipped' ? 'Skip reason' : 'Error', s.error]];
      $('#step-facts').replaceChildren(...rows.filter(([, v]) => v != null && v !== '').flatMap(([k, v]) => [el('dt', { textContent: k }), el('dd', { textContent: String(v) })]));
      $('#step-outputs').textContent = JSON.stringify({ ...(s.outputs || {}), ...(s.output != null ? { output: s.output } : {}) }, null, 2);
    }
  }
})();
