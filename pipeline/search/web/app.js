// newswire search page: plain JavaScript, no dependencies, no network beyond
// this server. State lives in the location hash (#q=...&sort=...&from=...&view=incidents&article=ID)
// so every view can be bookmarked and the back button works. All text from
// the API is inserted as text nodes, never as HTML.
'use strict';

(() => {
  const PAGE = 10;
  const SVGNS = 'http://www.w3.org/2000/svg';
  // Facet name in the API -> query field that filters on it, and chip class.
  const FACETS = [
    ['people', 'person', 'People'],
    ['groups', 'group', 'Groups'],
    ['places', 'place', 'Places'],
    ['event_types', 'event', 'Event types'],
    ['sources', 'source', 'Sources'],
  ];

  const $ = (sel) => document.querySelector(sel);
  let token = sessionStorage.getItem('newswire.token') || '';
  let worldSVG = null; // parsed world map, loaded once
  let seq = 0; // drops answers to superseded requests
  let shown = ''; // the search now on screen: q, sort and from
  let lastEvents = [];

  // el builds an element: el('a', {href: u, class: 'x'}, 'text', child...).
  function el(tag, attrs, ...kids) {
    const e = tag.startsWith('svg:') ? document.createElementNS(SVGNS, tag.slice(4)) : document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === undefined || v === null || v === false) continue;
      if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
      else if (k === 'dataset') Object.assign(e.dataset, v);
      else e.setAttribute(k, v === true ? '' : String(v));
    }
    for (const k of kids.flat(Infinity)) {
      if (k === undefined || k === null || k === false) continue;
      e.append(k instanceof Node ? k : document.createTextNode(String(k)));
    }
    return e;
  }

  // ---- state in the hash ----
  function getState() {
    const p = new URLSearchParams(location.hash.slice(1));
    return {
      q: p.get('q') || '',
      sort: p.get('sort') === 'date' ? 'date' : 'relevance',
      from: Math.max(0, parseInt(p.get('from') || '0', 10) || 0),
      article: p.get('article') || '',
      view: p.get('view') === 'incidents' ? 'incidents' : 'articles',
    };
  }
  function setState(s) {
    const p = new URLSearchParams();
    if (s.q) p.set('q', s.q);
    if (s.sort && s.sort !== 'relevance') p.set('sort', s.sort);
    if (s.from) p.set('from', String(s.from));
    if (s.view === 'incidents') p.set('view', 'incidents');
    if (s.article) p.set('article', s.article);
    const h = '#' + p.toString();
    if (location.hash === h || (h === '#' && location.hash === '')) render();
    else location.hash = h;
  }

  // ---- query building ----
  function quote(v) {
    return /^[\p{L}\p{N}_.\-]+$/u.test(v) && !/^(AND|OR|NOT)$/.test(v) ? v : '"' + v.replace(/"/g, '') + '"';
  }
  function filterText(field, value, exclude) {
    return (exclude ? '-' : '') + field + ':' + quote(value);
  }
  function hasFilter(q, f) {
    const esc = f.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    return new RegExp('(^|[\\s(])' + esc + '(?=$|[\\s)])', 'i').test(q);
  }
  function addFilter(field, value, exclude) {
    const s = getState();
    const f = filterText(field, value, exclude);
    if (hasFilter(s.q, f)) return;
    let q = s.q.trim();
    // An OR at the top level would bind the filter to its last operand only.
    if (/\bOR\b/.test(q) && !/^\(.*\)$/.test(q)) q = '(' + q + ')';
    setState({q: (q ? q + ' ' : '') + f, sort: s.sort, from: 0, view: s.view});
  }

  // ---- API ----
  class APIError extends Error {}
  async function api(path) {
    const headers = token ? {Authorization: 'Bearer ' + token} : {};
    const r = await fetch(path, {headers});
    let body = null;
    try { body = await r.json(); } catch (_) { /* not JSON */ }
    if (r.status === 401) {
      $('#auth').hidden = false;
      throw new APIError('This server needs an API token.');
    }
    if (!r.ok) throw new APIError((body && body.error) || r.status + ' ' + r.statusText);
    return body;
  }
  function showError(err) {
    const box = $('#error');
    if (!err) { box.hidden = true; box.textContent = ''; return; }
    box.hidden = false;
    box.textContent = err instanceof APIError ? err.message : 'Could not reach the server: ' + err.message;
  }

  // ---- rendering ----
  async function render() {
    const s = getState();
    $('#q').value = s.q;
    $('#sort').value = s.sort;
    showView(s.view);
    if (s.view === 'incidents' && s.q !== incidentsShown) renderIncidents(s.q).catch(showError);
    const key = JSON.stringify([s.q, s.sort, s.from]);
    if (key === shown) { // only the article view or the tab changed
      renderArticle(s.article);
      return;
    }
    const my = ++seq;
    const qs = new URLSearchParams({q: s.q, sort: s.sort, from: String(s.from), size: String(PAGE), facets: '1', facet_size: '12', events: '1'});
    document.body.classList.add('loading');
    try {
      const [res, tl] = await Promise.all([api('/api/search?' + qs), api('/api/timeline?' + new URLSearchParams({q: s.q}))]);
      if (my !== seq) return;
      showError(null);
      renderSummary(res, s);
      renderFacets(res.facets || {}, s.q);
      renderHits(res.hits || []);
      renderPager(res, s);
      renderTimeline(tl);
      lastEvents = res.events || [];
      await renderMap(lastEvents);
      shown = key;
    } catch (err) {
      if (my !== seq) return;
      showError(err);
      $('#results').replaceChildren();
      $('#summary').textContent = '';
      shown = '';
    } finally {
      if (my === seq) document.body.classList.remove('loading');
    }
    renderArticle(s.article);
  }

  function renderSummary(res, s) {
    const n = res.total;
    const p = $('#summary');
    p.replaceChildren();
    if (n === 0) {
      p.append('No matching articles.');
      return;
    }
    const last = Math.min(n, s.from + (res.hits || []).length);
    p.append(`${s.from + 1}–${last} of ${n} matching article${n === 1 ? '' : 's'}`);
    if (res.parsed && s.q) p.append(' for ', el('code', {}, res.parsed));
    p.append(` (${(res.took_ns / 1e6).toFixed(1)} ms)`);
  }

  function renderFacets(facets, q) {
    const box = $('#facets');
    box.replaceChildren();
    for (const [name, field, label] of FACETS) {
      const vals = facets[name] || [];
      if (!vals.length) continue;
      box.append(el('h3', {}, label));
      const ul = el('ul', {dataset: {facet: name}});
      for (const v of vals) {
        const active = hasFilter(q, filterText(field, v.value));
        ul.append(el('li', {},
          el('button', {type: 'button', class: 'facet' + (active ? ' active' : ''), title: `Only ${field}:${v.value}`,
            dataset: {field, value: v.value}, onclick: () => addFilter(field, v.value)},
          el('span', {}, pretty(field, v.value)), el('span', {class: 'count'}, v.count)),
          el('button', {type: 'button', class: 'exclude', title: `Exclude ${field}:${v.value}`, 'aria-label': `Exclude ${v.value}`,
            onclick: () => addFilter(field, v.value, true)}, '−')));
      }
      box.append(ul);
    }
    if (!box.children.length) box.append(el('p', {class: 'empty'}, 'No facets.'));
  }

  // unescape decodes the character references in snippets: both backends
  // return the text around the marks HTML-escaped (index.CleanSnippet).
  const REFS = {amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0'};
  function unescape(s) {
    return s.replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z]+);/gi, (m, r) => {
      if (r[0] !== '#') return REFS[r.toLowerCase()] ?? m;
      const n = r[1] === 'x' || r[1] === 'X' ? parseInt(r.slice(2), 16) : parseInt(r.slice(1), 10);
      return n > 0 && n <= 0x10ffff ? String.fromCodePoint(n) : m;
    });
  }

  // snippet turns "a <mark>b</mark> c" into nodes; the text is never
  // parsed as HTML.
  function snippet(s) {
    const out = [];
    let inMark = false;
    for (const part of s.split(/(<\/?mark>)/)) {
      if (part === '<mark>') inMark = true;
      else if (part === '</mark>') inMark = false;
      else if (part) out.push(inMark ? el('mark', {}, unescape(part)) : document.createTextNode(unescape(part)));
    }
    return out;
  }

  // chips shows a hit's entities of one kind, at most max, then "+N".
  function chips(kind, field, values, max) {
    const vs = values || [];
    const out = vs.slice(0, max).map((v) => chip(kind, field, v));
    if (vs.length > max) out.push(el('span', {class: 'chip more', title: vs.slice(max).join(', ')}, `+${vs.length - max} ${kind}s`));
    return out;
  }

  // pretty shows event types as words; other values as they are.
  function pretty(field, value) {
    return field === 'event' ? value.replace(/_/g, ' ') : value;
  }

  function chip(kind, field, value) {
    return el('button', {type: 'button', class: 'chip ' + kind, title: `Add ${field}:${value}`,
      dataset: {field, value}, onclick: () => addFilter(field, value)}, pretty(field, value));
  }

  function fmtDate(iso) {
    return iso ? new Date(iso).toISOString().slice(0, 10) : 'undated';
  }

  function renderHits(hits) {
    const ol = $('#results');
    ol.replaceChildren();
    for (const h of hits) {
      const open = (ev) => { ev.preventDefault(); setState({...getState(), article: h.id}); };
      ol.append(el('li', {class: 'hit', dataset: {id: h.id}},
        el('a', {class: 'title', href: '#article=' + encodeURIComponent(h.id), onclick: open}, h.title || h.url),
        el('div', {class: 'meta'}, `${h.source} · ${fmtDate(h.published)} · ${h.language || '?'}`),
        (h.snippets || []).filter((s) => unescape(s.replace(/<\/?mark>/g, '')) !== h.title).slice(0, 3)
          .map((s) => el('p', {class: 'snippet'}, snippet(s))),
        el('div', {class: 'chips'},
          chips('person', 'person', h.people, 5),
          chips('group', 'group', h.groups, 5),
          chips('place', 'place', h.places, 6),
          (h.event_types || []).map((v) => chip('event', 'event', v)))));
    }
  }

  function renderPager(res, s) {
    const prev = $('#prev'), next = $('#next');
    prev.disabled = s.from === 0;
    next.disabled = s.from + PAGE >= res.total || s.from + 2 * PAGE > 10000;
    prev.onclick = () => setState({...s, from: Math.max(0, s.from - PAGE), article: ''});
    next.onclick = () => setState({...s, from: s.from + PAGE, article: ''});
    $('#pager').hidden = res.total <= PAGE;
  }

  // ---- timeline ----
  function dayNum(d) { return Date.UTC(+d.slice(0, 4), +d.slice(5, 7) - 1, +d.slice(8, 10)) / 864e5; }
  function dayStr(n) { return new Date(n * 864e5).toISOString().slice(0, 10); }

  // buckets groups the days into days, or months when the span is long.
  function buckets(days) {
    const first = dayNum(days[0].day), last = dayNum(days[days.length - 1].day);
    const out = [];
    if (last - first <= 120) {
      const by = new Map(days.map((d) => [d.day, d]));
      for (let n = first; n <= last; n++) {
        const d = by.get(dayStr(n)) || {articles: 0, events: 0};
        out.push({key: dayStr(n), label: dayStr(n), articles: d.articles, events: d.events});
      }
      return out;
    }
    const by = new Map();
    for (const d of days) {
      const m = d.day.slice(0, 7);
      const b = by.get(m) || {articles: 0, events: 0};
      b.articles += d.articles; b.events += d.events;
      by.set(m, b);
    }
    let y = +days[0].day.slice(0, 4), mo = +days[0].day.slice(5, 7);
    const end = days[days.length - 1].day.slice(0, 7);
    for (;;) {
      const key = `${y}-${String(mo).padStart(2, '0')}`;
      const b = by.get(key) || {articles: 0, events: 0};
      out.push({key, label: key, articles: b.articles, events: b.events});
      if (key >= end) break;
      if (++mo > 12) { mo = 1; y++; }
    }
    return out;
  }

  function renderTimeline(tl) {
    const box = $('#timeline');
    box.replaceChildren();
    const note = [];
    if (tl.truncated) note.push(`newest ${tl.counted} of ${tl.total} articles`);
    if (tl.undated) note.push(`${tl.undated} undated`);
    $('#timeline-note').textContent = note.join(', ');
    if (!tl.days.length) {
      box.append(el('p', {class: 'empty'}, 'No dated articles or events.'));
      return;
    }
    const bs = buckets(tl.days);
    const W = 480, H = 150, L = 28, B = 22, T = 8;
    const max = Math.max(1, ...bs.map((b) => Math.max(b.articles, b.events)));
    const bw = Math.min(28, (W - L - 4) / bs.length);
    const x0 = L + ((W - L - 4) - bw * bs.length) / 2; // centre a short series
    const y = (v) => T + (H - T - B) * (1 - v / max);
    const svg = el('svg:svg', {viewBox: `0 0 ${W} ${H}`, role: 'img', 'aria-label': 'Articles and events per ' + (bs[0].key.length === 7 ? 'month' : 'day')});
    svg.append(el('svg:line', {class: 'axis', x1: L, x2: W, y1: H - B, y2: H - B}));
    svg.append(el('svg:text', {x: L - 4, y: T + 8, 'text-anchor': 'end'}, max));
    svg.append(el('svg:text', {x: L - 4, y: H - B, 'text-anchor': 'end'}, 0));
    bs.forEach((b, i) => {
      const x = x0 + i * bw;
      const w = Math.max(1, bw / 2 - (bw > 6 ? 1 : 0));
      if (b.articles) svg.append(el('svg:rect', {class: 'bar-articles', x, y: y(b.articles), width: w, height: H - B - y(b.articles)}));
      if (b.events) svg.append(el('svg:rect', {class: 'bar-events', x: x + bw / 2, y: y(b.events), width: w, height: H - B - y(b.events)}));
      svg.append(el('svg:rect', {class: 'hover', x, y: T, width: bw, height: H - B - T, dataset: {key: b.key},
        onclick: () => addFilter('published', b.key)},
      el('svg:title', {}, `${b.label}: ${b.articles} article${b.articles === 1 ? '' : 's'}, ${b.events} event${b.events === 1 ? '' : 's'}`)));
    });
    const ticks = bs.length === 1 ? [0] : [0, Math.floor((bs.length - 1) / 2), bs.length - 1];
    for (const i of new Set(ticks)) {
      const anchor = bs.length === 1 ? 'middle' : i === 0 ? 'start' : i === bs.length - 1 ? 'end' : 'middle';
      const x = bs.length === 1 ? x0 + bw / 2 : i === 0 ? x0 : i === bs.length - 1 ? x0 + bw * bs.length : x0 + (i + 0.5) * bw;
      svg.append(el('svg:text', {x, y: H - 6, 'text-anchor': anchor}, bs[i].label));
    }
    box.append(svg, el('div', {class: 'legend'}, el('span', {}, el('i', {class: 'a'}), 'articles'), el('span', {}, el('i', {class: 'e'}), 'events')));
  }

  // ---- map ----
  async function loadWorld() {
    if (worldSVG) return worldSVG.cloneNode(true);
    const r = await fetch('/assets/world.svg');
    if (!r.ok) throw new APIError('world map: ' + r.status);
    const doc = new DOMParser().parseFromString(await r.text(), 'image/svg+xml');
    worldSVG = document.importNode(doc.documentElement, true);
    return worldSVG.cloneNode(true);
  }

  // tollText is "3 killed, 7 injured" with only the known counts.
  function tollText(e) {
    const toll = [];
    if (e.killed != null) toll.push(`${e.killed} killed`);
    else if (e.killed_detail) toll.push(`${e.killed_detail.text} killed`);
    if (e.injured != null) toll.push(`${e.injured} injured`);
    else if (e.injured_detail) toll.push(`${e.injured_detail.text} injured`);
    return toll.join(', ');
  }

  function eventLabel(e) {
    return [pretty('event', e.type), e.date || 'undated', e.place || 'unknown place', tollText(e)].filter(Boolean).join(' · ');
  }

  let viewAll = false;
  async function renderMap(events) {
    const box = $('#map');
    const svg = await loadWorld();
    svg.insertBefore(el('svg:rect', {class: 'sea', x: 0, y: 0, width: 360, height: 180}), svg.firstChild);
    // One marker per place: events at the same rounded point share it.
    const spots = new Map();
    let unplaced = 0;
    for (const e of events) {
      if (e.lat == null || e.lon == null) { unplaced++; continue; }
      const k = e.lat.toFixed(1) + ',' + e.lon.toFixed(1);
      const s = spots.get(k) || {lat: e.lat, lon: e.lon, events: []};
      s.events.push(e);
      spots.set(k, s);
    }
    const g = el('svg:g', {class: 'markers'});
    let minX = 360, maxX = 0, minY = 180, maxY = 0;
    for (const s of spots.values()) {
      const x = s.lon + 180, y = 90 - s.lat;
      minX = Math.min(minX, x); maxX = Math.max(maxX, x); minY = Math.min(minY, y); maxY = Math.max(maxY, y);
      const toll = s.events.reduce((n, e) => n + (e.killed || 0) + (e.injured || 0), 0);
      const place = s.events.find((e) => e.place)?.place;
      g.append(el('svg:circle', {class: 'marker', cx: x.toFixed(2), cy: y.toFixed(2), r: 1, dataset: {n: s.events.length, toll, place: place || ''},
        onclick: () => place ? addFilter('place', place) : setState({...getState(), article: s.events[0].article_id})},
      el('svg:title', {}, s.events.map((e) => eventLabel(e) + ' — ' + e.title).join('\n'))));
    }
    svg.append(g);
    // Zoom to the markers (2:1 like the map), at least 40 degrees wide.
    let vb = [0, 0, 360, 180];
    if (spots.size && !viewAll) {
      let w = Math.max(40, (maxX - minX) * 1.3), h = Math.max(20, (maxY - minY) * 1.3);
      if (w / h > 2) h = w / 2; else w = h * 2;
      w = Math.min(w, 360); h = Math.min(h, 180);
      const x = Math.min(Math.max(0, (minX + maxX) / 2 - w / 2), 360 - w);
      const y = Math.min(Math.max(0, (minY + maxY) / 2 - h / 2), 180 - h);
      vb = [x, y, w, h];
    }
    svg.setAttribute('viewBox', vb.map((v) => v.toFixed(2)).join(' '));
    // Marker radius in map units: a constant screen size whatever the zoom.
    const unit = vb[2] / 360;
    for (const c of g.querySelectorAll('circle')) {
      const n = +c.dataset.n, toll = +c.dataset.toll;
      c.setAttribute('r', (unit * (2.2 + Math.min(5, Math.sqrt(n + toll) * 0.9))).toFixed(2));
    }
    box.replaceChildren(svg);
    const notes = [`${spots.size} place${spots.size === 1 ? '' : 's'}, ${events.length} event${events.length === 1 ? '' : 's'}`];
    if (unplaced) notes.push(`${unplaced} without coordinates`);
    $('#map-note').textContent = notes.join(', ');
    $('#map-world').textContent = viewAll ? 'zoom to events' : 'whole world';
    const list = $('#event-list');
    list.replaceChildren();
    for (const e of events.slice(0, 100)) {
      list.append(el('li', {},
        el('span', {class: 'type'}, pretty('event', e.type)), ' ', e.date || 'undated', ' · ', e.place || 'unknown place',
        tollText(e) ? ' · ' + tollText(e) : '',
        el('br'), el('a', {href: '#article=' + encodeURIComponent(e.article_id),
          onclick: (ev) => { ev.preventDefault(); setState({...getState(), article: e.article_id}); }}, e.title)));
    }
  }

  // ---- article view ----
  // highlight returns nodes for text with entity names marked and event
  // evidence underlined.
  function highlight(text, doc) {
    const kinds = new Map();
    const add = (kind, e) => {
      for (const n of [e.name, ...(e.aliases || [])]) if (n && n.length > 1 && !kinds.has(n)) kinds.set(n, {kind, name: e.name});
    };
    (doc.people || []).forEach((e) => add('person', e));
    (doc.groups || []).forEach((e) => add('group', e));
    (doc.places || []).forEach((e) => add('place', e));
    const names = [...kinds.keys()].sort((a, b) => b.length - a.length).map((n) => n.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
    const re = names.length ? new RegExp('(?<![\\p{L}\\p{N}])(' + names.join('|') + ')(?![\\p{L}\\p{N}])', 'gu') : null;
    const marks = (s) => {
      if (!re) return [document.createTextNode(s)];
      const out = [];
      let at = 0;
      for (const m of s.matchAll(re)) {
        if (m.index > at) out.push(document.createTextNode(s.slice(at, m.index)));
        const k = kinds.get(m[0]);
        out.push(el('mark', {class: 'ent-' + k.kind, title: `${k.kind}: ${k.name}`, dataset: {name: k.name}}, m[0]));
        at = m.index + m[0].length;
      }
      if (at < s.length) out.push(document.createTextNode(s.slice(at)));
      return out;
    };
    // Evidence spans (first occurrence of each), longest first when overlapping.
    const spans = [];
    for (const e of doc.events || []) {
      const ev = (e.evidence || '').trim();
      if (ev.length < 3) continue;
      const i = text.indexOf(ev);
      if (i >= 0 && !spans.some((s) => i < s.end && i + ev.length > s.start)) spans.push({start: i, end: i + ev.length, e});
    }
    spans.sort((a, b) => a.start - b.start);
    const out = [];
    let at = 0;
    for (const s of spans) {
      out.push(...marks(text.slice(at, s.start)));
      out.push(el('span', {class: 'evidence', title: eventLabel(s.e)}, marks(text.slice(s.start, s.end))));
      at = s.end;
    }
    out.push(...marks(text.slice(at)));
    return out;
  }

  async function renderArticle(id) {
    const view = $('#article-view');
    const box = $('#article');
    if (!id) { view.hidden = true; box.replaceChildren(); return; }
    let doc;
    try {
      doc = await api('/api/articles/' + encodeURIComponent(id));
    } catch (err) {
      showError(err);
      view.hidden = true;
      return;
    }
    if (getState().article !== id) return;
    const close = () => setState({...getState(), article: ''});
    const entRows = [['person', 'person', doc.people], ['group', 'group', doc.groups], ['place', 'place', doc.places]];
    box.replaceChildren(
      el('button', {type: 'button', class: 'close', onclick: close, 'aria-label': 'Close'}, '✕ Close'),
      el('h1', {}, doc.title || doc.url),
      el('div', {class: 'meta'}, `${doc.source} · ${fmtDate(doc.published)} · ${doc.language || '?'} · `,
        el('a', {href: doc.url, target: '_blank', rel: 'noopener noreferrer'}, 'original')),
      el('div', {class: 'chips'}, entRows.map(([kind, field, es]) => (es || []).map((e) => chip(kind, field, e.name))),
        [...new Set((doc.events || []).map((e) => e.type))].map((t) => chip('event', 'event', t))),
      (doc.events || []).length ? el('table', {class: 'events'},
        el('tr', {}, ['Event', 'Date', 'Place', 'Killed', 'Injured', 'By', 'Evidence'].map((h) => el('th', {}, h))),
        doc.events.map((e) => el('tr', {},
          el('td', {}, pretty('event', e.type) + (e.status ? ` (${e.status.replace(/_/g, ' ')})` : '')), el('td', {}, e.date || '—'),
          el('td', {}, e.place || '—'),
          el('td', {}, e.killed ?? e.killed_detail?.text ?? '—'), el('td', {}, e.injured ?? e.injured_detail?.text ?? '—'),
          el('td', {}, [...(e.perpetrators || []), ...(e.claimed_by || [])].join(', ') || '—'), el('td', {}, e.evidence || '')))) : null,
      el('div', {class: 'text'}, highlight(doc.text || '', doc)),
    );
    view.hidden = false;
    box.focus();
  }

  // ---- incidents: events linked across articles ----
  let incidentsShown = null; // the query whose incidents are on screen
  let incidentsSeq = 0;

  function showView(view) {
    const inc = view === 'incidents';
    $('#tab-articles').setAttribute('aria-selected', String(!inc));
    $('#tab-incidents').setAttribute('aria-selected', String(inc));
    $('#articles-view').hidden = inc;
    $('#incidents-view').hidden = !inc;
  }

  // range is "12" or "12–19".
  function range(lo, hi) {
    return lo === hi ? String(lo) : `${lo}–${hi}`;
  }

  // incidentToll is "killed 12–19, injured 40 across 3 reports".
  function incidentToll(inc) {
    const parts = [];
    if (inc.killed_min != null) parts.push(`killed ${range(inc.killed_min, inc.killed_max)}`);
    if (inc.injured_min != null) parts.push(`injured ${range(inc.injured_min, inc.injured_max)}`);
    const n = inc.reports.length;
    const across = `${n} report${n === 1 ? '' : 's'}`;
    return parts.length ? `${parts.join(', ')} across ${across}` : `no toll given · ${across}`;
  }

  // reportFigure is one outlet's own figures, in its words when it gave them.
  function reportFigure(r) {
    const out = [];
    if (r.killed_text || r.killed != null) out.push(`killed ${r.killed_text || r.killed}`);
    if (r.injured_text || r.injured != null) out.push(`injured ${r.injured_text || r.injured}`);
    return out.join(', ') || 'no figure';
  }

  function incidentDate(inc) {
    if (inc.date_min && inc.date_max && inc.date_min !== inc.date_max && !inc.date_max.startsWith(inc.date_min)) {
      return `${inc.date_min} – ${inc.date_max}`;
    }
    return inc.date || 'undated';
  }

  async function renderIncidents(q) {
    const my = ++incidentsSeq;
    const box = $('#incidents'), sum = $('#incidents-summary');
    sum.textContent = 'Linking incidents…';
    let res;
    try {
      res = await api('/api/incidents?' + new URLSearchParams({q, limit: '100'}));
    } catch (err) {
      if (my === incidentsSeq) { sum.textContent = ''; box.replaceChildren(); }
      throw err;
    }
    if (my !== incidentsSeq) return;
    incidentsShown = q;
    box.replaceChildren();
    const n = res.incidents_total;
    sum.replaceChildren(`${n} incident${n === 1 ? '' : 's'} from ${res.reports} event report${res.reports === 1 ? '' : 's'} in ${res.articles} article${res.articles === 1 ? '' : 's'}`);
    if (res.capped) sum.append(` (the newest ${res.articles} of ${res.total} matching articles)`);
    if (res.incidents.length < n) sum.append(`; showing the ${res.incidents.length} latest`);
    if (n === 0) {
      box.append(el('li', {class: 'empty'}, 'No incidents in the matching articles.'));
      return;
    }
    for (const inc of res.incidents) {
      const where = [inc.place, inc.country_code].filter(Boolean).join(', ') || 'unknown place';
      const actors = [];
      if (inc.perpetrators.length) actors.push('by ' + inc.perpetrators.join(', '));
      if (inc.claimed_by.length) actors.push('claimed by ' + inc.claimed_by.join(', '));
      if (inc.targets.length) actors.push('against ' + inc.targets.join(', '));
      box.append(el('li', {class: 'incident', dataset: {id: inc.id}},
        el('h3', {}, pretty('event', inc.type) + (inc.subtype ? ` (${inc.subtype})` : ''), ' · ', incidentDate(inc), ' · ', where),
        el('div', {class: 'toll'}, incidentToll(inc)),
        actors.length ? el('div', {class: 'actors'}, actors.join('; ')) : null,
        inc.status && inc.status !== 'carried_out' ? el('div', {class: 'actors'}, 'status: ' + inc.status.replace(/_/g, ' ')) : null,
        el('ul', {class: 'reports'}, inc.reports.map((r) => el('li', {class: 'report', dataset: {article: r.article_id}},
          el('span', {class: 'outlet'}, r.outlet), ' · ', fmtDate(r.published), ' · ',
          el('span', {class: 'figure'}, reportFigure(r)), ' · ',
          el('a', {href: r.url, target: '_blank', rel: 'noopener noreferrer'}, r.title || r.url), ' ',
          el('button', {type: 'button', class: 'link', onclick: () => setState({...getState(), article: r.article_id})}, 'read here'),
          r.evidence ? el('blockquote', {}, r.evidence.split('\n')[0]) : null)))));
    }
  }

  // ---- wiring ----
  document.addEventListener('DOMContentLoaded', () => {
    $('#search').addEventListener('submit', (ev) => {
      ev.preventDefault();
      shown = ''; // search again even if the query is unchanged
      incidentsShown = null;
      setState({q: $('#q').value.trim(), sort: $('#sort').value, from: 0, view: getState().view});
    });
    $('#sort').addEventListener('change', () => setState({...getState(), sort: $('#sort').value, from: 0, article: ''}));
    $('#auth').addEventListener('submit', (ev) => {
      ev.preventDefault();
      token = $('#token').value.trim();
      sessionStorage.setItem('newswire.token', token);
      $('#auth').hidden = true;
      shown = '';
      render();
    });
    $('#tab-articles').addEventListener('click', () => setState({...getState(), view: 'articles', article: ''}));
    $('#tab-incidents').addEventListener('click', () => setState({...getState(), view: 'incidents', article: ''}));
    $('#map-world').addEventListener('click', () => { viewAll = !viewAll; renderMap(lastEvents).catch(showError); });
    $('#article-view').addEventListener('click', (ev) => {
      if (ev.target.id === 'article-view') setState({...getState(), article: ''});
    });
    document.addEventListener('keydown', (ev) => {
      if (ev.key === 'Escape' && getState().article) setState({...getState(), article: ''});
      if (ev.key === '/' && document.activeElement !== $('#q')) { ev.preventDefault(); $('#q').focus(); }
    });
    window.addEventListener('hashchange', render);
    render();
  });
})();
