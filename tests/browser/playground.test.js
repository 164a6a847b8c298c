'use strict';
// The playground page (playground/) served by the CLI's server and driven in Debian's headless
// Chromium through the DevTools protocol (puppeteer-core). It checks that the page shows what
// simulatePostLogin decides in Node for the same inputs, that configuration issues appear as
// typed, that a shared link restores the case, that the page can be used with a keyboard and on
// a phone-width screen; and it writes the README screenshot (docs/playground.png) and the
// page's transfer size and time to first result (target/playground-metrics.json).

const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const zlib = require('node:zlib');
const puppeteer = require('puppeteer-core');

const ROOT = path.join(__dirname, '..', '..');
const lc = require(ROOT);
const { startPlaygroundServer, bundleIsFresh } = require(path.join(ROOT, 'js', 'tools', 'playground-server.js'));
const { startSampleTenant } = require(path.join(ROOT, 'js', 'tools', 'sample-tenant.js'));
const { _resetForTests } = require(path.join(ROOT, 'tests', 'js', 'lookup-client.js'));

/** simulatePostLogin in Node as the first login of a fresh Action instance, as the page shows it. */
function simulateFresh(event, config) {
  _resetForTests();
  return lc.simulatePostLogin(event, config, { logger: { warn() {} } });
}

const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const example = (rel) => JSON.parse(fs.readFileSync(path.join(ROOT, 'examples', rel), 'utf8'));
const demo = example('demo.json');
const tenantFile = example('tenant.json');

let server;
let browser;
let profile;

before(async () => {
  server = await startPlaygroundServer();
  profile = fs.mkdtempSync(path.join(os.tmpdir(), 'login-claims-chromium-'));
  browser = await puppeteer.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--font-render-hinting=none',
      `--user-data-dir=${profile}`,
    ],
  });
});

after(async () => {
  if (browser) await browser.close();
  if (server) await server.close();
  if (profile) fs.rmSync(profile, { recursive: true, force: true });
});

// ---- driving the page ------------------------------------------------------------------------

async function openPage(url = server.url, viewport = { width: 1280, height: 800 }) {
  const page = await browser.newPage();
  const errors = [];
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('requestfailed', (request) => errors.push(`request failed: ${request.url()}`));
  page.errors = errors;
  await page.setViewport(viewport);
  await page.goto(url, { waitUntil: 'load' });
  await page.waitForFunction(() => Number(document.documentElement.dataset.renders) > 0, { timeout: 15000 });
  return page;
}

const renders = (page) => page.evaluate(() => Number(document.documentElement.dataset.renders));

/** Runs `action` and waits until the page has rendered the result it causes. */
async function andRender(page, action) {
  const before = await renders(page);
  await action();
  await page.waitForFunction((n) => Number(document.documentElement.dataset.renders) > n, { timeout: 15000 }, before);
  // An edit typed in several keystrokes renders once after the debounce; let it settle.
  await new Promise((resolve) => setTimeout(resolve, 350));
}

/** What the page shows, read from the DOM as a person sees it. */
function shown(page) {
  return page.evaluate(() => {
    const claims = (id) => {
      const node = document.getElementById(id);
      if (!node) return undefined;
      return node.textContent === '(no claims)' ? {} : JSON.parse(node.textContent);
    };
    const trace = [...document.querySelectorAll('#trace tbody tr')].map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent));
    const text = (item, selector) => item.querySelector(selector).textContent;
    const issues = [...document.querySelectorAll('#issues li')].map((li) => ['.severity', '.code', '.at', '.message', '.fix'].map((s) => text(li, s)));
    return {
      idToken: claims('id-token'),
      accessToken: claims('access-token'),
      trace,
      issues,
      summary: (document.getElementById('issues-summary') || {}).textContent,
      text: document.getElementById('result').innerText,
    };
  });
}

async function setEditor(page, id, text) {
  await page.$eval(`#${id}`, (node, value) => {
    node.value = value;
    node.dispatchEvent(new Event('input', { bubbles: true }));
  }, text);
}

const editorValues = (page) =>
  page.evaluate(() => Object.fromEntries(['config', 'event', 'methods'].map((id) => [id, document.getElementById(id).value])));

/** The rows the trace table should have: each entry, then its detail (with the failure code). */
const traceRows = (trace) =>
  trace.flatMap((e) => {
    const detail = [e.detail, e.failure && `(${e.failure})`].filter(Boolean).join(' ');
    return [[e.outcome, e.token, e.claim, e.reason, e.source || ''], ...(detail ? [[detail]] : [])];
  });

// ---- the tests -------------------------------------------------------------------------------

describe('the playground page', () => {
  it('playground/bundle.js is the current sources, unchanged', () => {
    assert.ok(bundleIsFresh(), 'run ./build.sh bundle and commit playground/bundle.js');
  });

  it('shows, for every example login, the claims and trace simulatePostLogin decides in Node', async () => {
    const config = example(demo.config);
    const tenant = await startSampleTenant({ users: tenantFile.users, clients: { 'browser-test': 'browser-test-secret' } });
    const page = await openPage();
    try {
      const secrets = { AUTH0_DOMAIN: tenant.url, MANAGEMENT_CLIENT_ID: 'browser-test', MANAGEMENT_CLIENT_SECRET: 'browser-test-secret' };
      for (const [index, login] of demo.logins.entries()) {
        tenant.setMaskNumbers(login.maskNumbers === true);
        const event = example(login.event);
        const expected = await simulateFresh({ ...event, secrets }, config);
        await andRender(page, () => page.select('#login-picker', String(index)));
        const seen = await shown(page);
        assert.deepEqual(seen.idToken, expected.idToken, `${login.title}: ID token`);
        assert.deepEqual(seen.accessToken, expected.accessToken, `${login.title}: access token`);
        assert.deepEqual(seen.trace, traceRows(expected.trace), `${login.title}: trace`);
        assert.match(seen.text, new RegExp(`Management API requests: ${expected.managementApiCalls} `), `${login.title}: requests`);
      }
      // Every example asked for a lookup somewhere, so the page's methods editor took part.
      assert.ok(tenant.requests.length > 0);
      assert.deepEqual(page.errors, []);
    } finally {
      await page.close();
      await tenant.close();
    }
  });

  it('without MFA methods a lookup is mfa_not_configured and the next source is used, as in Node', async () => {
    const page = await openPage();
    try {
      await andRender(page, () => page.select('#login-picker', '1'));
      await andRender(page, () => setEditor(page, 'methods', ''));
      const seen = await shown(page);
      const expected = await simulateFresh(example(demo.logins[1].event), example(demo.config));
      assert.ok(expected.trace.some((e) => e.reason === 'mfa_not_configured'));
      assert.deepEqual(seen.trace, traceRows(expected.trace));
      assert.deepEqual(seen.idToken, expected.idToken);
    } finally {
      await page.close();
    }
  });

  it('MFA methods that are not a list reach the core as the answer, which judges them as in Node', async () => {
    const tenant = await startSampleTenant({ users: tenantFile.users, clients: { 'browser-test': 'browser-test-secret' } });
    const page = await openPage();
    try {
      const answer = { authenticators: 'not a list' };
      tenant.failNext({ path: '/authentication-methods', body: JSON.stringify(answer), times: 5 });
      const secrets = { AUTH0_DOMAIN: tenant.url, MANAGEMENT_CLIENT_ID: 'browser-test', MANAGEMENT_CLIENT_SECRET: 'browser-test-secret' };
      const expected = await simulateFresh({ ...example(demo.logins[1].event), secrets }, example(demo.config));
      await andRender(page, () => page.select('#login-picker', '1'));
      await andRender(page, () => setEditor(page, 'methods', JSON.stringify(answer)));
      const seen = await shown(page);
      assert.ok(expected.trace.some((e) => e.reason === 'mfa_bad_response' || e.reason === 'lookup_failed'), JSON.stringify(expected.trace));
      assert.deepEqual(seen.trace, traceRows(expected.trace));
      assert.deepEqual(seen.idToken, expected.idToken);
    } finally {
      await page.close();
      await tenant.close();
    }
  });

  it('an invalid configuration typed in shows each issue with severity, code, place, problem and fix', async () => {
    const page = await openPage();
    try {
      const config = { idToken: { roles: 'authorization.roles' }, accessToken: { email: 'user.email', 'https://my-app.example.com/auth0.com': 'user.email' } };
      const text = JSON.stringify(config);
      await page.click('#config', { clickCount: 3 });
      await page.$eval('#config', (node) => node.select());
      await andRender(page, () => page.keyboard.type(text, { delay: 0 }));
      const seen = await shown(page);
      const report = lc.validateConfig(config);
      assert.equal(report.ok, false);
      assert.ok(report.issues.some((i) => i.severity === 'warning') && report.issues.some((i) => i.severity === 'error'));
      assert.deepEqual(seen.issues, report.issues.map((i) => [i.severity, i.code, i.at, i.message, i.fix]));
      assert.match(seen.summary, /would not start/);
      assert.equal(seen.idToken, undefined, 'no claims are shown for a configuration the handler refuses');
      // Text that is not JSON is marked on its editor.
      await andRender(page, () => page.keyboard.type('}'));
      const invalid = await page.evaluate(() => [document.getElementById('config').getAttribute('aria-invalid'), document.getElementById('config-status').textContent]);
      assert.equal(invalid[0], 'true');
      assert.match(invalid[1], /Not valid JSON/);
    } finally {
      await page.close();
    }
  });

  it('a shared link carries the whole case in its fragment and restores the same state and output', async () => {
    const page = await openPage();
    let link;
    let before;
    try {
      await andRender(page, () => page.select('#login-picker', '2'));
      const event = JSON.parse((await editorValues(page)).event);
      event.user.app_metadata = { ...event.user.app_metadata, plan: 'enterprise ✓' };
      await andRender(page, () => setEditor(page, 'event', JSON.stringify(event, null, 1)));
      await page.click('#share');
      link = await page.$eval('#share-link', (node) => node.value);
      before = { editors: await editorValues(page), shown: await shown(page) };
    } finally {
      await page.close();
    }
    const url = new URL(link);
    assert.equal(url.origin + url.pathname, server.url);
    assert.equal(url.search, '', 'nothing of the case is in the part of the URL a server receives');
    assert.match(url.hash, /^#case=/);
    const again = await openPage(link);
    try {
      assert.deepEqual(await editorValues(again), before.editors);
      assert.deepEqual(await shown(again), before.shown);
      assert.equal(before.shown.idToken['https://my-app.example.com/plan'], 'enterprise ✓');
    } finally {
      await again.close();
    }
  });

  it('labels every control and reaches the pickers, the editors and the share button with Tab', async () => {
    const page = await openPage();
    try {
      const unlabelled = await page.evaluate(() =>
        [...document.querySelectorAll('input, select, textarea, button')]
          .filter((node) => {
            const label = node.id && document.querySelector(`label[for="${node.id}"]`);
            const text = (label && label.textContent.trim()) || node.getAttribute('aria-label') || (node.tagName === 'BUTTON' && node.textContent.trim());
            return !text;
          })
          .map((node) => node.outerHTML.slice(0, 80))
      );
      assert.deepEqual(unlabelled, []);
      await page.evaluate(() => document.activeElement && document.activeElement.blur());
      const order = [];
      for (let i = 0; i < 8; i++) {
        await page.keyboard.press('Tab');
        order.push(await page.evaluate(() => document.activeElement.id));
      }
      assert.deepEqual(order.slice(0, 7), ['login-picker', 'config-picker', 'config', 'event', 'methods', 'share', 'share-link']);
      // The picker works from the keyboard too.
      await page.focus('#login-picker');
      await andRender(page, () => page.keyboard.press('ArrowDown'));
      assert.equal(await page.$eval('#login-picker', (node) => node.value), '1');
    } finally {
      await page.close();
    }
  });

  for (const viewport of [{ width: 375, height: 740 }, { width: 1280, height: 800 }]) {
    it(`renders without horizontal overflow at ${viewport.width}×${viewport.height}`, async () => {
      const page = await openPage(server.url, viewport);
      try {
        await andRender(page, () => page.select('#login-picker', '1'));
        const widths = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth }));
        assert.ok(widths.scroll <= widths.client, `page is ${widths.scroll}px wide in a ${widths.client}px viewport`);
      } finally {
        await page.close();
      }
    });
  }

  it('works from any static host: a plain file server of the package root, no playground server', async () => {
    const http = require('node:http');
    const types = { '.html': 'text/html', '.css': 'text/css', '.js': 'text/javascript', '.wasm': 'application/wasm' };
    const files = http.createServer((req, res) => {
      const pathname = decodeURIComponent(new URL(req.url, 'http://x').pathname);
      const file = path.join(ROOT, pathname.endsWith('/') ? `${pathname}index.html` : pathname);
      if (!file.startsWith(ROOT + path.sep) || !fs.existsSync(file) || !fs.statSync(file).isFile()) {
        res.writeHead(404).end();
        return;
      }
      res.writeHead(200, { 'content-type': types[path.extname(file)] || 'application/octet-stream' });
      res.end(fs.readFileSync(file));
    });
    await new Promise((resolve) => files.listen(0, '127.0.0.1', resolve));
    try {
      const page = await openPage(`http://127.0.0.1:${files.address().port}/playground/`);
      try {
        const seen = await shown(page);
        const expected = await simulateFresh(example(demo.logins[0].event), example(demo.config));
        assert.deepEqual(seen.idToken, expected.idToken);
        assert.deepEqual(page.errors, []);
      } finally {
        await page.close();
      }
    } finally {
      files.closeAllConnections?.();
      await new Promise((resolve) => files.close(resolve));
    }
  });

  it('writes the README screenshot (docs/playground.png, 1280×800)', async () => {
    const page = await openPage(server.url, { width: 1280, height: 800 });
    try {
      await andRender(page, () => page.select('#login-picker', '1'));
      await page.evaluate(() => document.activeElement && document.activeElement.blur());
      const png = await page.screenshot({ type: 'png' });
      fs.writeFileSync(path.join(ROOT, 'docs', 'playground.png'), png);
      assert.equal(png.readUInt32BE(16), 1280);
      assert.equal(png.readUInt32BE(20), 800);
    } finally {
      await page.close();
    }
  });

  it('measures the transfer size (gzip) and the time to first result', async (t) => {
    const times = [];
    let files;
    for (let i = 0; i < 5; i++) {
      const page = await openPage();
      times.push(await page.evaluate(() => globalThis.playground.firstResultMs));
      files = await page.evaluate(() => [location.href.split('#')[0], ...performance.getEntriesByType('resource').map((e) => e.name)]);
      await page.close();
    }
    const sizes = {};
    for (const url of files) {
      const bytes = Buffer.from(await (await fetch(url)).arrayBuffer());
      sizes[new URL(url).pathname] = { bytes: bytes.length, gzip: zlib.gzipSync(bytes, { level: 9 }).length };
    }
    times.sort((a, b) => a - b);
    const metrics = {
      files: sizes,
      totalBytes: Object.values(sizes).reduce((sum, s) => sum + s.bytes, 0),
      totalGzipBytes: Object.values(sizes).reduce((sum, s) => sum + s.gzip, 0),
      firstResultMs: times.map((ms) => Math.round(ms)),
      medianFirstResultMs: Math.round(times[Math.floor(times.length / 2)]),
    };
    fs.mkdirSync(path.join(ROOT, 'target'), { recursive: true });
    fs.writeFileSync(path.join(ROOT, 'target', 'playground-metrics.json'), `${JSON.stringify(metrics, null, 2)}\n`);
    t.diagnostic(`transfer ${metrics.totalGzipBytes} bytes gzip (${metrics.totalBytes} raw) in ${files.length} files; first result after ${metrics.medianFirstResultMs} ms (median of ${times.length})`);
    assert.deepEqual(Object.keys(sizes).sort(), ['/pkg/login_claims_bg.wasm', '/playground/', '/playground/app.js', '/playground/bundle.js', '/playground/style.css']);
    assert.ok(metrics.medianFirstResultMs < 5000);
  });
});
