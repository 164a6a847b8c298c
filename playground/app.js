'use strict';
// The playground page: editors in, claims out. Every claim, reason and issue comes from
// simulatePostLogin and validateConfig of js/action/core.js (loaded unchanged through bundle.js) running
// pkg/login_claims_bg.wasm, exactly as in the Action. This file only moves text around: it reads
// the editors, answers the Management API lookup from the methods editor inside a fetch that
// never reaches the network, and renders what the core returned.
(function () {
  const bundle = globalThis.loginClaimsBundle;
  const { createApi } = bundle.require('js/action/core.js');
  const { methodsAnswer, maskItem } = bundle.require('js/tools/tenant-methods.js');
  // The engine's own token memory: each case runs as the first login of a fresh instance.
  const engine = bundle.require('pkg/login_claims_glue.cjs');
  const demo = bundle.require('examples/demo.json');
  const tenant = bundle.require('examples/tenant.json');

  // The lookup goes to this origin, which no network can reach: the page's fetch answers it.
  const FAKE_ORIGIN = 'https://playground.invalid';
  const FAKE_SECRETS = { AUTH0_DOMAIN: FAKE_ORIGIN, MANAGEMENT_CLIENT_ID: 'playground', MANAGEMENT_CLIENT_SECRET: 'playground' };
  const MANAGEMENT_SECRETS = ['AUTH0_DOMAIN', 'AUTH0_TENANT_DOMAIN', 'MANAGEMENT_CLIENT_ID', 'MANAGEMENT_CLIENT_SECRET', 'MANAGEMENT_API_TOKEN'];
  const CONFIGS = ['config.json', 'config-with-mistakes.json'];
  const DEBOUNCE_MS = 200;

  const $ = (id) => document.getElementById(id);
  const editors = { config: $('config'), event: $('event'), methods: $('methods') };
  const state = { api: undefined, run: 0, firstResultMs: undefined };
  // For the browser tests and anyone curious: how long the first result took, and the last one.
  globalThis.playground = { firstResultMs: undefined, renders: 0, lastResult: undefined };

  function element(tag, attributes, children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attributes || {})) node.setAttribute(key, value);
    for (const child of [].concat(children === undefined ? [] : children)) {
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  }

  function pretty(value) {
    return JSON.stringify(value, null, 2);
  }

  // ---- examples ------------------------------------------------------------------------------

  function exampleFile(name) {
    return bundle.require(`examples/${name}`);
  }

  function exampleMethods(login, event) {
    const userId = event && event.user && event.user.user_id;
    const user = userId && Object.prototype.hasOwnProperty.call(tenant.users, userId) ? tenant.users[userId] : undefined;
    if (!user || !Array.isArray(user.authentication_methods)) return '';
    const mask = login.maskNumbers === undefined ? tenant.maskNumbers === true : login.maskNumbers === true;
    return pretty(user.authentication_methods.map((item) => maskItem(item, mask)));
  }

  function loadExample(index) {
    const login = demo.logins[index];
    const event = exampleFile(login.event);
    editors.event.value = pretty(event);
    editors.methods.value = exampleMethods(login, event);
    $('login-note').textContent = login.note || '';
  }

  function loadConfigExample(name) {
    editors.config.value = pretty(exampleFile(name));
  }

  function fillPickers() {
    demo.logins.forEach((login, index) => $('login-picker').append(element('option', { value: String(index) }, login.title)));
    $('login-picker').append(element('option', { value: 'custom', hidden: '' }, 'Edited by hand'));
    for (const name of CONFIGS) $('config-picker').append(element('option', { value: name }, `examples/${name}`));
    $('config-picker').append(element('option', { value: 'custom', hidden: '' }, 'Edited by hand'));
  }

  // ---- the shared link -----------------------------------------------------------------------

  function toBase64Url(text) {
    let binary = '';
    for (const byte of new TextEncoder().encode(text)) binary += String.fromCharCode(byte);
    return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
  }

  function fromBase64Url(text) {
    const binary = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
    return new TextDecoder().decode(Uint8Array.from(binary, (c) => c.charCodeAt(0)));
  }

  function shareFragment() {
    const data = { v: 1, config: editors.config.value, event: editors.event.value, methods: editors.methods.value };
    return `#case=${toBase64Url(JSON.stringify(data))}`;
  }

  /** Fills the editors from a #case= fragment; false when there is none or it is unreadable. */
  function restoreFromFragment() {
    const match = /^#case=([A-Za-z0-9_-]+)$/.exec(location.hash);
    if (!match) return false;
    try {
      const data = JSON.parse(fromBase64Url(match[1]));
      for (const key of Object.keys(editors)) editors[key].value = typeof data[key] === 'string' ? data[key] : '';
    } catch {
      $('share-status').textContent = 'The link could not be read; the examples are shown instead.';
      return false;
    }
    $('login-picker').value = 'custom';
    $('config-picker').value = 'custom';
    $('login-note').textContent = 'Restored from the link.';
    return true;
  }

  async function share() {
    const fragment = shareFragment();
    history.replaceState(null, '', fragment);
    const link = location.href;
    $('share-link').value = link;
    try {
      await navigator.clipboard.writeText(link);
      $('share-status').textContent = 'Link copied. The case travels in the fragment (after #), which browsers never send to a server.';
    } catch {
      $('share-link').select();
      $('share-status').textContent = 'Copy the selected link. The case travels in the fragment (after #), which browsers never send to a server.';
    }
  }

  // ---- the lookup, answered in the page --------------------------------------------------------

  function jsonResponse(status, body) {
    return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json; charset=utf-8' } });
  }

  /** A fetch for simulatePostLogin that answers the Management API with the methods editor's JSON. */
  function playgroundFetch(methods) {
    return async (url, init) => {
      const target = new URL(String(url));
      if (target.origin !== FAKE_ORIGIN) throw new TypeError('the playground sends no request to a real host');
      if ((init && init.method) === 'POST' && target.pathname === '/oauth/token') {
        return jsonResponse(200, { access_token: 'playground-token', expires_in: 86400, token_type: 'Bearer' });
      }
      const read = /^\/api\/v2\/users\/[^/]+\/(authentication-methods|enrollments)$/.exec(target.pathname);
      if (!read) return jsonResponse(404, { statusCode: 404, error: 'Not Found', message: 'Not Found' });
      // A list is paged (or turned into /enrollments) as the Management API does; anything else
      // is answered as it is, and the core judges it.
      const [status, body] = Array.isArray(methods) ? methodsAnswer({ authentication_methods: methods }, read[1], target.search.slice(1), false) : [200, methods];
      return jsonResponse(status, body);
    };
  }

  /** The event as the Action would see it: its Management API secrets point at the page's fetch. */
  function withPlaygroundSecrets(event, methods) {
    const own = event.secrets !== null && typeof event.secrets === 'object' ? { ...event.secrets } : {};
    for (const key of MANAGEMENT_SECRETS) delete own[key];
    return { ...event, secrets: methods === undefined ? own : { ...own, ...FAKE_SECRETS } };
  }

  // ---- reading the editors -------------------------------------------------------------------

  function parseEditor(name, { optional } = {}) {
    const text = editors[name].value;
    const status = $(`${name}-status`);
    status.className = 'status';
    status.textContent = '';
    editors[name].removeAttribute('aria-invalid');
    if (optional && text.trim() === '') return { ok: true, value: undefined };
    try {
      return { ok: true, value: JSON.parse(text) };
    } catch (error) {
      status.className = 'status bad';
      status.textContent = `Not valid JSON: ${error.message}`;
      editors[name].setAttribute('aria-invalid', 'true');
      return { ok: false };
    }
  }

  // ---- rendering -----------------------------------------------------------------------------

  function claimsBlock(title, id, claims) {
    const names = Object.keys(claims);
    return [
      element('h3', { id: `${id}-title` }, title),
      element('pre', { class: 'claims', id, 'aria-labelledby': `${id}-title` }, names.length ? pretty(claims) : '(no claims)'),
    ];
  }

  function issuesBlock(report) {
    const issues = report.issues;
    const errors = issues.filter((issue) => issue.severity !== 'warning').length;
    const summary =
      issues.length === 0
        ? 'The configuration is valid: no problems found.'
        : `${errors} error(s), ${issues.length - errors} warning(s)${report.ok ? ': the handler starts.' : ': the handler would not start (CONFIG_INVALID), so no login is simulated.'}`;
    const nodes = [element('h3', {}, 'Configuration issues'), element('p', { id: 'issues-summary', class: report.ok ? 'status' : 'status bad' }, summary)];
    if (issues.length) {
      const items = issues.map((issue) => {
        const severity = issue.severity || 'error';
        return element('li', { class: 'issue' }, [
          element('p', {}, [element('span', { class: `severity severity-${severity}` }, severity), ' ', element('code', { class: 'code' }, issue.code), ' at ', element('code', { class: 'at' }, issue.at)]),
          element('p', { class: 'message' }, issue.message),
          element('p', { class: 'fix-line' }, [element('strong', {}, 'fix: '), element('span', { class: 'fix' }, issue.fix)]),
        ]);
      });
      nodes.push(element('ol', { id: 'issues', class: 'issues' }, items));
    }
    return nodes;
  }

  function traceBlock(result) {
    const header = ['outcome', 'token', 'claim', 'reason', 'source'];
    const rows = [];
    for (const entry of result.trace) {
      const cells = [entry.outcome, entry.token, entry.claim, entry.reason, entry.source || ''];
      rows.push(element('tr', { class: 'entry' }, cells.map((cell, column) => element('td', column === 0 ? { class: `outcome-${cell}` } : {}, cell))));
      const detail = [entry.detail, entry.failure && `(${entry.failure})`].filter(Boolean).join(' ');
      if (detail) rows.push(element('tr', { class: 'detail-row' }, element('td', { colspan: String(header.length), class: 'detail' }, detail)));
    }
    const table = element('table', { id: 'trace' }, [
      element('caption', { class: 'visually-hidden' }, 'Trace: one entry per claim and source tried, each followed by its detail'),
      element('thead', {}, element('tr', {}, header.map((name) => element('th', { scope: 'col' }, name)))),
      element('tbody', {}, rows),
    ]);
    return [
      element('h3', {}, 'Trace'),
      element('div', { class: 'table-wrap' }, table),
      element('p', { class: 'help', id: 'management-calls' }, `Management API requests: ${result.managementApiCalls} (answered in this page)`),
    ];
  }

  function show(nodes, result) {
    $('result').replaceChildren(...nodes);
    globalThis.playground.renders += 1;
    globalThis.playground.lastResult = result;
    if (globalThis.playground.firstResultMs === undefined) {
      globalThis.playground.firstResultMs = performance.now();
      document.documentElement.dataset.firstResultMs = String(Math.round(globalThis.playground.firstResultMs));
    }
    document.documentElement.dataset.renders = String(globalThis.playground.renders);
  }

  // ---- one run -------------------------------------------------------------------------------

  async function update() {
    const run = ++state.run;
    const config = parseEditor('config');
    const event = parseEditor('event');
    const methods = parseEditor('methods', { optional: true });
    if (!config.ok || !event.ok || !methods.ok) {
      show([element('p', { class: 'status bad', id: 'input-problem' }, 'Fix the JSON marked above to see the result.')], undefined);
      return;
    }
    const report = state.api.validateConfig(config.value);
    const nodes = issuesBlock(report);
    let result;
    if (report.ok) {
      const log = [];
      const eventObject = event.value !== null && typeof event.value === 'object' ? event.value : {};
      // Each case is the first login of a fresh Action instance: no token kept from the last run.
      engine.resetTokenMemory();
      result = await state.api.simulatePostLogin(withPlaygroundSecrets(eventObject, methods.value), config.value, {
        fetch: playgroundFetch(methods.value),
        logger: { warn: (line) => log.push(String(line)) },
      });
      if (run !== state.run) return; // a newer edit has started its own run
      result = { ...result, log };
      nodes.unshift(...claimsBlock('ID token claims', 'id-token', result.idToken), ...claimsBlock('Access token claims', 'access-token', result.accessToken));
      nodes.push(...traceBlock(result));
      if (log.length) nodes.push(element('h3', {}, 'What the Action would log'), element('pre', { class: 'claims', id: 'action-log' }, log.join('\n')));
    }
    show(nodes, result === undefined ? { report } : { report, ...result });
  }

  function scheduleUpdate() {
    clearTimeout(state.timer);
    state.timer = setTimeout(() => update().catch(showFailure), DEBOUNCE_MS);
  }

  function showFailure(error) {
    show([element('p', { class: 'status bad', id: 'input-problem' }, `The simulation failed: ${error && error.message}`)], undefined);
  }

  // ---- start ---------------------------------------------------------------------------------

  async function start() {
    fillPickers();
    if (!restoreFromFragment()) {
      loadConfigExample(CONFIGS[0]);
      loadExample(0);
    }
    $('login-picker').addEventListener('change', (e) => {
      if (e.target.value === 'custom') return;
      loadExample(Number(e.target.value));
      scheduleUpdate();
    });
    $('config-picker').addEventListener('change', (e) => {
      if (e.target.value === 'custom') return;
      loadConfigExample(e.target.value);
      scheduleUpdate();
    });
    for (const [name, editor] of Object.entries(editors)) {
      editor.addEventListener('input', () => {
        $(name === 'config' ? 'config-picker' : 'login-picker').value = 'custom';
        scheduleUpdate();
      });
    }
    $('share').addEventListener('click', () => share());
    window.addEventListener('hashchange', () => {
      if (restoreFromFragment()) scheduleUpdate();
    });
    // The same bytes as the Action's inlined copy, read next to the page.
    const response = await fetch(new URL('../pkg/login_claims_bg.wasm', document.baseURI));
    if (!response.ok) throw new Error(`pkg/login_claims_bg.wasm: HTTP ${response.status}`);
    const bytes = new Uint8Array(await response.arrayBuffer());
    state.api = createApi(() => bytes);
    await update();
  }

  start().catch(showFailure);
})();
