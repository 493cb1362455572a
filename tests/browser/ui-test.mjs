// tests/browser/ui-test.mjs - drives skillhub's web UI in headless Chromium.
//
//   BASE_URL=http://127.0.0.1:PORT OUT_DIR=tests/out/browser node tests/browser/ui-test.mjs
//
// The server must serve the esco-mini fixture (tests/fixtures/esco-mini/en and
// fr); tests/integration/test_browser.sh sets that up.  Each scenario drives
// the pages as a visitor would (typing, clicking, choosing from a list),
// asserts what the visitor must see, and saves a full-page screenshot in
// OUT_DIR.  It prints one line per scenario and stops at the first failure
// with a non-zero exit status (a screenshot of the failing page is saved as
// OUT_DIR/FAILED-<scenario>.png).  Every page is also watched for script
// errors and for failed requests of its own resources.
//
// Chromium is Debian's (/usr/bin/chromium, or $CHROMIUM), driven through
// playwright-core, which downloads no browser.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

const BASE_URL = (process.env.BASE_URL || '').replace(/\/$/, '');
const OUT_DIR = process.env.OUT_DIR || 'tests/out/browser';
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
if (!BASE_URL) {
  console.error('ui-test: set BASE_URL to the server (e.g. http://127.0.0.1:8080)');
  process.exit(2);
}
mkdirSync(OUT_DIR, { recursive: true });

// What the esco-mini fixture holds (tests/fixtures/esco-mini).
const DEVELOPER = { id: 'mini-o01', label: 'software developer', fr: 'développeur de logiciels' };
const DEBUG = { id: 'mini-s04', uri: 'http://data.europa.eu/esco/skill/mini-s04', label: 'debug software',
                fr: 'déboguer un logiciel' };
const PYTHON_URI = 'http://data.europa.eu/esco/skill/mini-s01';
const SQL_URI = 'http://data.europa.eu/esco/skill/mini-s03';
const ANALYSE_TEXT = 'We are hiring a software developer with Python and SQL; you will debug software daily.';
const ANALYSE_TEXT_FR = 'Nous cherchons une personne pour déboguer un logiciel.';

const browser = await chromium.launch({
  executablePath: CHROMIUM,
  args: ['--no-sandbox', '--disable-dev-shm-usage', '--disable-gpu'],
});
let current = null;       // the page a failure screenshot is taken of
let pageProblems = [];    // script errors and failed requests seen by watched pages

/* A new page in a new context, watched for script errors and failed requests. */
async function newPage(options = {}) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, ...options });
  const page = await context.newPage();
  page.on('pageerror', (e) => pageProblems.push(`script error on ${page.url()}: ${e.message}`));
  // "Failed to load resource" is left to the response handler below, which knows the resource's type: a page
  // may answer 404 on purpose, and browsers ask for /favicon.ico by themselves (the server has none).
  page.on('console', (m) => {
    if (m.type() === 'error' && !m.text().startsWith('Failed to load resource'))
      pageProblems.push(`console error on ${page.url()}: ${m.text()}`);
  });
  page.on('response', (r) => {
    if (r.url().startsWith(BASE_URL) && r.status() >= 400 && r.request().resourceType() !== 'document')
      pageProblems.push(`${r.request().method()} ${r.url()} answered ${r.status()}`);
  });
  current = page;
  return page;
}

async function shot(page, name) {
  await page.screenshot({ path: join(OUT_DIR, `${name}.png`), fullPage: true });
}

async function text(locator) {
  return (await locator.innerText()).replace(/\s+/g, ' ').trim();
}

/* Texts of the links of the related-concepts section whose heading starts with `heading`. */
async function sectionLinks(page, heading) {
  const section = page.locator('main section').filter({ has: page.locator('h2', { hasText: heading }) });
  assert.equal(await section.count(), 1, `expected one section "${heading}" on ${page.url()}`);
  return section.locator('a').allInnerTexts();
}

/* Every same-origin link of the page answers 200 (checked once per URL). */
const linksChecked = new Set();
async function checkLinks(page) {
  const hrefs = await page.locator('a[href]').evaluateAll((as) => as.map((a) => a.href.split('#')[0]));
  for (const href of new Set(hrefs)) {
    if (!href.startsWith(BASE_URL) || linksChecked.has(href)) continue;
    linksChecked.add(href);
    const r = await page.request.get(href);
    assert.equal(r.status(), 200, `broken link on ${page.url()}: ${href} answered ${r.status()}`);
  }
}

/* Waits for the navigation `action` starts and for the new page to be loaded. */
async function navigate(page, action) {
  await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), action()]);
}

/*
 * Types `typed` into the search box key by key and waits for app.js to ask /api/v1/suggest for the whole of it
 * (it may ask for a prefix first when typing is slow) in `lang`, then for the suggestion list to show exactly the
 * labels of that answer.  Returns them.
 */
async function typeAndSuggest(page, box, typed, lang) {
  const asked = page.waitForResponse((r) => {
    const url = new URL(r.url());
    return url.pathname === '/api/v1/suggest' && url.searchParams.get('q') === typed;
  });
  await box.pressSequentially(typed, { delay: 30 });
  const response = await asked;
  assert.equal(new URL(response.url()).searchParams.get('lang'), lang, 'suggest is asked in the page language');
  const labels = (await response.json()).results.map((hit) => hit.label);
  assert.ok(labels.length > 0, `/api/v1/suggest found nothing for "${typed}"`);
  await page.waitForFunction((want) => JSON.stringify([...document.querySelectorAll('#suggestions option')]
    .map((o) => o.value)) === JSON.stringify(want), labels, { timeout: 15000 })
    .catch(() => assert.fail(`the suggestion list does not show ${JSON.stringify(labels)}`));
  return labels;
}

let number = 0;
async function scenario(name, body) {
  const letter = String.fromCharCode(97 + number++);
  const label = `(${letter}) ${name}`;
  pageProblems = [];
  try {
    const detail = await body();
    assert.deepEqual(pageProblems, [], 'problems seen by the browser');
    console.log(`ok    ${label}: ${detail}`);
  } catch (e) {
    console.log(`FAIL  ${label}: ${e.message}`);
    if (current && !current.isClosed())
      await current.screenshot({ path: join(OUT_DIR, `FAILED-${letter}.png`), fullPage: true }).catch(() => {});
    await browser.close();
    process.exit(1);
  } finally {
    if (current && !current.isClosed()) await current.context().close();
    current = null;
  }
}

// (a) Typing in the search box fills the autocomplete list from /api/v1/suggest.
await scenario('home page autocomplete', async () => {
  const page = await newPage();
  await page.goto(`${BASE_URL}/`);
  assert.equal(await text(page.locator('h1')), 'Find skills and occupations');
  const box = page.getByLabel('Skill or occupation');
  assert.equal(await box.getAttribute('list'), 'suggestions', 'the search box is tied to the suggestion list');
  const values = await typeAndSuggest(page, box, 'softw', 'en');
  assert.ok(values.includes(DEVELOPER.label), `suggestions ${JSON.stringify(values)} lack "${DEVELOPER.label}"`);
  assert.ok(values.every((v) => /softw/i.test(v)), `a suggestion does not start with "softw": ${values}`);
  await shot(page, 'a-home-autocomplete');
  await checkLinks(page);
  return `${values.length} suggestions for "softw" (${values.slice(0, 3).join(', ')}, ...)`;
});

// (b) Submitting the search lists the expected occupation, linked to its page.
await scenario('search results', async () => {
  const page = await newPage();
  await page.goto(`${BASE_URL}/`);
  await page.getByLabel('Skill or occupation').fill('software');
  await navigate(page, () => page.getByLabel('Skill or occupation').press('Enter'));
  const url = new URL(page.url());
  assert.equal(url.pathname, '/search');
  assert.equal(url.searchParams.get('q'), 'software');
  assert.equal(await text(page.locator('h1')), 'Results for “software”');
  assert.equal(await page.getByLabel('Skill or occupation').inputValue(), 'software', 'the box keeps the query');
  const hit = page.locator('ol.results li').filter({ has: page.getByRole('link', { name: DEVELOPER.label, exact: true }) });
  assert.equal(await hit.count(), 1, `"${DEVELOPER.label}" is not among the results`);
  assert.match(await text(hit.locator('.kind')), /occupation/);
  assert.equal(await hit.getByRole('link').getAttribute('href'), `/concept/${DEVELOPER.id}?lang=en`);
  const n = await page.locator('ol.results li').count();
  await shot(page, 'b-search-results');
  await checkLinks(page);
  return `${n} results for "software", "${DEVELOPER.label}" among them`;
});

// (c) An occupation page: label, description, other labels, essential and optional skills.
// (d) Following one of its skills leads to the skill's page, which links back.
let conceptPageUrl;
await scenario('occupation page', async () => {
  const page = await newPage();
  await page.goto(`${BASE_URL}/search?q=software`);
  await navigate(page, () => page.getByRole('link', { name: DEVELOPER.label, exact: true }).click());
  conceptPageUrl = page.url();
  assert.equal(new URL(page.url()).pathname, `/concept/${DEVELOPER.id}`);
  assert.equal(await text(page.locator('h1')), `${DEVELOPER.label} occupation`);
  assert.equal(await page.title(), `${DEVELOPER.label} - skillhub`);
  assert.equal(await text(page.locator('p.description')), 'Software developers implement software.');
  const facts = await text(page.locator('dl.facts'));
  assert.match(facts, /Also called programmer; software engineer/);
  assert.match(facts, /ESCO URI http:\/\/data\.europa\.eu\/esco\/occupation\/mini-o01/);
  assert.deepEqual((await sectionLinks(page, 'Essential skills (3)')).sort(),
                   ['Python (computer programming)', 'debug software', 'use version control']);
  assert.deepEqual((await sectionLinks(page, 'Optional skills (3)')).sort(), ['JavaScript', 'SQL', 'work in teams']);
  const crumbs = await page.getByRole('navigation', { name: 'Breadcrumb' }).locator('li').allInnerTexts();
  assert.equal(crumbs.at(-1), DEVELOPER.label, `breadcrumbs end with the page: ${crumbs}`);
  assert.ok(crumbs.includes('Software developers'), `breadcrumbs lack the ISCO group: ${crumbs}`);
  await shot(page, 'c-occupation-page');
  await checkLinks(page);
  return 'heading, description, other labels, 3 essential and 3 optional skills, breadcrumbs';
});

await scenario('relation link to a skill page', async () => {
  const page = await newPage();
  await page.goto(conceptPageUrl);
  const essential = page.locator('main section').filter({ has: page.locator('h2', { hasText: 'Essential skills' }) });
  await navigate(page, () => essential.getByRole('link', { name: DEBUG.label, exact: true }).click());
  assert.equal(new URL(page.url()).pathname, `/concept/${DEBUG.id}`);
  assert.equal(await text(page.locator('h1')), `${DEBUG.label} skill`);
  assert.deepEqual(await sectionLinks(page, 'Occupations for which this is essential'), [DEVELOPER.label]);
  assert.deepEqual((await sectionLinks(page, 'Optionally related skills')).sort(),
                   ['JavaScript', 'Python (computer programming)']);
  await shot(page, 'd-skill-page');
  await checkLinks(page);
  // and back again through the reverse relation
  await navigate(page, () => page.getByRole('link', { name: DEVELOPER.label, exact: true }).click());
  assert.equal(await text(page.locator('h1')), `${DEVELOPER.label} occupation`);
  return `"${DEVELOPER.label}" -> "${DEBUG.label}" -> back, headings and reverse relations right`;
});

// (e) The language switcher reloads the page in French (app.js submits it on change).
await scenario('language switch to French', async () => {
  const page = await newPage();
  await page.goto(`${BASE_URL}/concept/${DEBUG.id}`);
  assert.equal(await page.locator('form.lang button').isVisible(), false,
               'with JavaScript the "Change" button is hidden (the list submits itself)');
  await navigate(page, () => page.getByLabel('Language').selectOption('fr'));
  assert.equal(new URL(page.url()).searchParams.get('lang'), 'fr');
  assert.equal(await page.locator('html').getAttribute('lang'), 'fr');
  assert.equal(await text(page.locator('h1')), `${DEBUG.fr} skill`);
  assert.equal(await page.getByLabel('Language').inputValue(), 'fr', 'the switcher shows the language chosen');
  assert.deepEqual(await sectionLinks(page, 'Occupations for which this is essential'),
                   ['développeur de logiciels/développeuse de logiciels']);
  const hrefs = await page.locator('main a[href^="/concept/"]').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
  assert.ok(hrefs.length > 0 && hrefs.every((h) => h.endsWith('?lang=fr')), `links lose the language: ${hrefs}`);
  await shot(page, 'e-skill-page-fr');
  // the search box suggests in French too
  await page.goto(`${BASE_URL}/?lang=fr`);
  const values = await typeAndSuggest(page, page.getByLabel('Skill or occupation'), 'dévelop', 'fr');
  assert.ok(values.some((v) => v.startsWith(DEVELOPER.fr)), `French suggestions ${JSON.stringify(values)}`);
  return `"${DEBUG.label}" shown as "${DEBUG.fr}", links keep lang=fr, suggestions in French`;
});

// (f) "Analyse a text": the skills found are highlighted in the text and listed in a table.
await scenario('analyse a text', async () => {
  const page = await newPage();
  await page.goto(`${BASE_URL}/`);
  await navigate(page, () => page.getByRole('navigation', { name: 'Site' })
    .getByRole('link', { name: 'Analyse a text' }).click());
  assert.equal(new URL(page.url()).pathname, '/analyse', 'the site menu leads to the analyse page');
  const box = page.locator('textarea#analyse-text');
  assert.equal(await box.count(), 1, 'a <textarea id="analyse-text">');
  assert.equal(await box.getAttribute('name'), 'text');
  assert.ok(await text(page.locator('label[for="analyse-text"]')), 'the text area has a <label for="analyse-text">');
  await box.fill(ANALYSE_TEXT);
  const form = page.locator('form').filter({ has: box });
  await navigate(page, () => form.locator('[type=submit]').click());
  assert.equal(new URL(page.url()).pathname, '/analyse');
  assert.equal(await page.locator('textarea#analyse-text').inputValue(), ANALYSE_TEXT, 'the text is kept');
  const found = {};
  for (const [name, uri] of [[DEBUG.label, DEBUG.uri], ['SQL', SQL_URI], ['Python', PYTHON_URI]]) {
    const mark = page.locator(`mark.skill[data-uri="${uri}"]`);
    assert.equal(await mark.count(), 1, `"${name}" is not highlighted once (mark.skill[data-uri="${uri}"])`);
    found[name] = await text(mark);
  }
  assert.equal(found[DEBUG.label], DEBUG.label, 'the highlight covers the words of the text');
  const marked = await page.locator('mark.skill').evaluateAll((ms) => ms.map((m) => m.dataset.uri));
  assert.equal(marked.length, 3, `highlights: ${marked}`);
  const row = page.locator('table.skills tbody tr').filter({ hasText: DEBUG.label });
  assert.equal(await row.count(), 1, `"${DEBUG.label}" is not listed in table.skills`);
  assert.equal(new URL(await row.getByRole('link').getAttribute('href'), BASE_URL).pathname, `/concept/${DEBUG.id}`);
  const listed = await page.locator('table.skills tbody tr').count();
  assert.equal(listed, 3, `table.skills lists ${listed} skills, expected 3`);
  await shot(page, 'f-analyse-en');
  await checkLinks(page);
  // a highlight leads to the skill's page
  await navigate(page, () => page.locator(`mark.skill[data-uri="${DEBUG.uri}"] a`).click());
  assert.equal(await text(page.locator('h1')), `${DEBUG.label} skill`);
  // a French text, with the language of the text chosen in the form
  await page.goto(`${BASE_URL}/analyse`);
  const frForm = page.locator('form').filter({ has: page.locator('textarea#analyse-text') });
  await frForm.locator('select[name=lang]').selectOption('fr');
  await frForm.locator('textarea#analyse-text').fill(ANALYSE_TEXT_FR);
  await navigate(page, () => frForm.locator('[type=submit]').click());
  assert.equal(await text(page.locator(`mark.skill[data-uri="${DEBUG.uri}"]`)), DEBUG.fr);
  assert.equal(await page.locator('table.skills tbody tr').filter({ hasText: DEBUG.fr }).count(), 1,
               `"${DEBUG.fr}" is not listed`);
  await shot(page, 'f-analyse-fr');
  return `"${DEBUG.label}", SQL and Python highlighted and listed; a highlight links to its page; French text too`;
});

// (g) Without JavaScript: searching and switching the language still work, and the switch keeps the search.
await scenario('search without JavaScript', async () => {
  const page = await newPage({ javaScriptEnabled: false });
  await page.goto(`${BASE_URL}/`);
  assert.equal(await page.locator('html.js').count(), 0, 'app.js did not run');
  await page.getByLabel('Skill or occupation').fill('software');
  await page.getByLabel('Type').selectOption('occupation');
  await navigate(page, () => page.getByRole('button', { name: 'Search' }).click());
  assert.equal(new URL(page.url()).pathname, '/search');
  assert.equal(await page.getByRole('link', { name: DEVELOPER.label, exact: true }).count(), 1,
               `"${DEVELOPER.label}" is not among the results`);
  const kinds = await page.locator('ol.results .kind').allInnerTexts();
  assert.ok(kinds.length > 0 && kinds.every((k) => k === 'occupation'), `type=occupation lists ${kinds}`);
  await shot(page, 'g-search-no-js');
  await page.getByLabel('Language').selectOption('fr');
  await navigate(page, () => page.getByRole('button', { name: 'Change' }).click());
  const url = new URL(page.url());
  assert.equal(url.searchParams.get('lang'), 'fr');
  assert.equal(url.searchParams.get('q'), 'software', 'the switcher keeps the query');
  assert.equal(url.searchParams.get('type'), 'occupation', 'the switcher keeps the type');
  assert.equal(await page.locator('html').getAttribute('lang'), 'fr');
  assert.equal(await page.getByLabel('Type').inputValue(), 'occupation');
  // searching is per language: French words find the French labels (occupations only: the type is kept)
  await page.getByLabel('Skill or occupation').fill('logiciel');
  await navigate(page, () => page.getByRole('button', { name: 'Search' }).click());
  assert.equal(new URL(page.url()).searchParams.get('lang'), 'fr', 'the search form keeps the language');
  const links = await page.locator('ol.results a').allInnerTexts();
  assert.ok(links.length === 1 && links[0].startsWith(DEVELOPER.fr), `French occupations for "logiciel": ${links}`);
  await shot(page, 'g-search-no-js-fr');
  await navigate(page, () => page.getByRole('link', { name: DEVELOPER.fr }).click());
  assert.equal(await text(page.locator('h1')), `${DEVELOPER.fr}/développeuse de logiciels occupation`);
  return 'search via the submit button; "Change" switches to French keeping query and type; French search';
});

/* Fills the analyse form with `body` and submits it. */
async function analyse(page, body) {
  await page.goto(`${BASE_URL}/analyse`);
  await page.locator('textarea#analyse-text').fill(body);
  const form = page.locator('form').filter({ has: page.locator('textarea#analyse-text') });
  await navigate(page, () => form.locator('[type=submit]').click());
}

// The pages (h) and (i) look at: every kind of page, the analysed text included.
const PAGES = { 'home': '/', 'search': '/search?q=software', 'occupation': `/concept/${DEVELOPER.id}`,
                'skill-fr': `/concept/${DEBUG.id}?lang=fr`, 'not-found': '/concept/no-such-concept',
                'analyse': '/analyse' };
// A long unbreakable word (a link in an ad) must wrap rather than widen the page.
const LONG_TEXT = `${ANALYSE_TEXT} Apply at https://jobs.example.org/apply/` + 'x'.repeat(120) + ' today.';
async function visitEach(page, check) {
  for (const [name, path] of Object.entries(PAGES)) {
    await page.goto(BASE_URL + path);
    await check(name, path);
  }
  await analyse(page, LONG_TEXT);
  await check('analysed', 'POST /analyse');
  return Object.keys(PAGES).length + 1;
}

// (h) A phone: nothing wider than the screen on any page.
await scenario('phone viewport', async () => {
  const page = await newPage({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true,
                               deviceScaleFactor: 2 });
  const n = await visitEach(page, async (name, where) => {
    const { scroll, inner, wide } = await page.evaluate(() => ({
      scroll: document.scrollingElement.scrollWidth,
      inner: window.innerWidth,
      wide: [...document.querySelectorAll('body *')]
        .filter((e) => e.getBoundingClientRect().right > window.innerWidth + 0.5)
        .map((e) => e.tagName.toLowerCase() + (e.className ? '.' + e.className : '')).slice(0, 5),
    }));
    // On a mobile viewport Chromium widens the layout viewport (innerWidth) to fit content that overflows:
    // compare with the screen's width too.
    const screenWidth = page.viewportSize().width;
    assert.ok(scroll <= inner && inner <= screenWidth,
              `${where}: the page is ${scroll}px wide (window ${inner}px) on a ${screenWidth}px screen (${wide})`);
    await shot(page, `h-phone-${name}`);
  });
  return `${n} pages fit 390px without horizontal scrolling`;
});

// (i) Accessibility basics on every kind of page.
await scenario('accessibility basics', async () => {
  const page = await newPage();
  const n = await visitEach(page, async (name, where) => {
    const r = await page.evaluate(() => {
      const name = (el) => {
        const byIds = (el.getAttribute('aria-labelledby') || '').split(/\s+/).filter(Boolean)
          .map((id) => document.getElementById(id)?.textContent || '').join(' ');
        return [el.getAttribute('aria-label'), byIds, ...[...(el.labels || [])].map((l) => l.textContent),
                el.getAttribute('title')].join(' ').trim();
      };
      const ids = [...document.querySelectorAll('[id]')].map((e) => e.id);
      return {
        lang: document.documentElement.getAttribute('lang'),
        mains: document.querySelectorAll('main, [role=main]').length,
        h1s: document.querySelectorAll('h1').length,
        unlabelled: [...document.querySelectorAll('input:not([type=hidden]):not([type=submit]), textarea, select')]
          .filter((el) => !name(el)).map((el) => el.outerHTML.slice(0, 80)),
        noAlt: [...document.querySelectorAll('img, input[type=image]')].filter((i) => !i.hasAttribute('alt'))
          .map((i) => i.outerHTML.slice(0, 80)),
        dupIds: ids.filter((id, i) => ids.indexOf(id) !== i),
        unnamedLinks: [...document.querySelectorAll('a[href], button')].filter((a) => !a.textContent.trim() &&
          !a.getAttribute('aria-label')).map((a) => a.outerHTML.slice(0, 80)),
        skipTarget: !!document.querySelector('a.skip') && !!document.getElementById('main'),
      };
    });
    assert.ok(r.lang && /^[a-z]{2,3}(-[A-Za-z0-9]+)*$/.test(r.lang), `${where}: html[lang] is "${r.lang}"`);
    assert.equal(r.mains, 1, `${where}: ${r.mains} main landmarks`);
    assert.equal(r.h1s, 1, `${where}: ${r.h1s} h1 headings`);
    assert.deepEqual(r.unlabelled, [], `${where}: form fields without an accessible name`);
    assert.deepEqual(r.noAlt, [], `${where}: images without alt`);
    assert.deepEqual(r.dupIds, [], `${where}: duplicate ids`);
    assert.deepEqual(r.unnamedLinks, [], `${where}: links or buttons without a name`);
    assert.ok(r.skipTarget, `${where}: the "Skip to content" link has no #main target`);
  });
  // keyboard: the first Tab reaches the skip link, which moves focus to main
  await page.goto(`${BASE_URL}/`);
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement.className), 'skip', 'first Tab stop');
  assert.ok(await page.locator('a.skip').isVisible(), 'the focused skip link is visible');
  await shot(page, 'i-skip-link-focused');
  await page.keyboard.press('Enter');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'main', 'the skip link focuses main');
  return `${n} pages: lang, one main, one h1, labelled fields, alt, unique ids, skip link`;
});

await browser.close();
console.log(`browser tests passed; screenshots in ${OUT_DIR}`);
