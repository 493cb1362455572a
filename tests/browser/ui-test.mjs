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

/*
 * The Intelligence pages over the ads and courses test_browser.sh stores (the ingestion fixtures' ads,
 * tests/fixtures/intel/supply-courses.json): filter the demand by country with the form, see its charts and
 * table, then open the supply view with the same filter and see the demand-versus-supply chart and tables.
 */
async function intelligenceScenario() {
  const page = await newPage();
  await page.goto(`${BASE_URL}/intelligence`);
  assert.equal(await text(page.locator('h1')), 'Skills demand in job ads');
  assert.ok(await page.locator('figure.chart svg').count() >= 1, '/intelligence shows no chart');
  await page.locator('#country').fill('GB');
  await navigate(page, () => page.getByRole('button', { name: 'Show' }).click());
  assert.equal(new URL(page.url()).searchParams.get('country'), 'GB', 'the form filters by country');
  assert.match(await text(page.locator('main')), /\b2 ads match\b/, 'GB has 2 counted ads');
  assert.ok(await page.locator('figure.chart svg').count() >= 2, 'the filtered demand shows its charts');
  const demand = await page.locator('main table').first().locator('tbody tr td:first-child').allInnerTexts();
  assert.ok(demand.includes('Python (computer programming)'), `demand table: ${demand}`);
  await shot(page, 'intelligence-demand');
  await checkLinks(page);

  await navigate(page, () => page.getByRole('link', { name: 'Supply versus demand' }).click());
  const url = new URL(page.url());
  assert.equal(url.pathname, '/intelligence/supply');
  assert.equal(url.searchParams.get('country'), 'GB', 'the supply view keeps the filter');
  assert.equal(await text(page.locator('h1')), 'Skills supply versus demand');
  assert.equal(await page.locator('#country').inputValue(), 'GB');
  const bars = page.locator('figure.chart svg g.versus');
  assert.equal(await bars.count(), 7, 'one demand-versus-supply row per skill asked in GB');
  assert.match(await bars.first().locator('title').textContent(), /^Python \(computer programming\): 50\.0% of ads, 0 courses$/);
  const rows = page.locator('table.supply tbody tr');
  assert.deepEqual((await rows.first().locator('td').allInnerTexts()).map((t) => t.trim()),
    ['Python (computer programming)', '1', '50.0%', '0', '0.5000']);
  const gb = page.locator('table.supply-areas tbody tr').filter({ has: page.locator('th', { hasText: 'GB' }) });
  assert.equal(await gb.count(), 1, 'the country table has a GB row');
  await shot(page, 'intelligence-supply');
  await checkLinks(page);
  return 'demand filtered by country with its charts, then the supply view: chart of 7 skills, tables';
}

await scenario('intelligence: demand and supply', intelligenceScenario);

/*
 * The catalogue written through the pages (test_browser.sh adds the provider ui-academy and the accounts
 * ui-provider and ui-reviewer): the provider signs in, creates a course without its EQF level, sees the
 * finding on its dashboard, accepts three proposed skills, gives the level, submits; the reviewer signs in
 * and approves the course at /review; the course is then found on /courses.  Runs last: an approved
 * course changes the supply the Intelligence pages count.
 */
async function signIn(page, login, password, next) {
  await page.goto(`${BASE_URL}/login?next=${encodeURIComponent(next)}`);
  await page.locator('#login').fill(login);
  await page.locator('#password').fill(password);
  await navigate(page, () => page.locator('form.login button[type=submit]').click());
  assert.equal(new URL(page.url()).pathname, next, `signing in as ${login} leads back to ${next}`);
}

async function courseWorkflowScenario() {
  const page = await newPage();
  await signIn(page, 'ui-provider', 'provider password', '/my/courses');
  assert.equal(await text(page.locator('h1')), 'My courses');
  await navigate(page, () => page.getByRole('link', { name: 'New course' }).click());
  await page.getByLabel('Course id').fill('UI-101');
  await page.getByLabel('Title').fill('Python for data teams');
  await page.getByLabel('Description').fill('Write Python scripts, query SQL databases and use version control.');
  await page.getByLabel('Learning outcomes').fill('Use Python to automate reports.\nUse SQL to query databases.\n'
                                                  + 'Apply version control to shared code.');
  await page.getByLabel('Teaching languages').fill('en');
  await page.getByLabel('Mode').selectOption('online');
  await page.getByLabel('Learning hours').fill('30');
  await page.getByLabel('Self-paced (no dates)').check();
  await page.getByLabel('Course page').fill('https://ui-academy.example/ui-101');
  await navigate(page, () => page.getByRole('button', { name: 'Save' }).click());
  assert.equal(new URL(page.url()).pathname, '/my/courses/UI-101/edit', 'saving leads to the course page');
  const findings = page.locator('ul.findings li.finding.error');
  assert.ok((await findings.allInnerTexts()).some((f) => /eqf/.test(f)), 'the missing EQF level is an error finding');
  await shot(page, 'courses-edit-findings');

  // the dashboard lists the course with its findings
  await page.goto(`${BASE_URL}/my/courses`);
  const card = page.locator('section#course-UI-101');
  assert.match(await text(card.locator('.status')), /draft/);
  assert.match(await text(card.locator('ul.findings')), /error: eqf required-fields/);
  await shot(page, 'courses-dashboard-finding');

  // accept three proposed skills, give the EQF level, submit
  await navigate(page, () => card.getByRole('link', { name: 'Python for data teams' }).click());
  for (const label of ['Python (computer programming)', 'SQL', 'use version control']) {
    await navigate(page, () => page.getByRole('button', { name: `Accept ${label}`, exact: true }).click());
    const row = page.locator('ul.skills li.skill.accepted', { hasText: label });
    assert.equal(await row.count(), 1, `${label} is accepted`);
  }
  await page.getByLabel('EQF level').fill('4');
  await navigate(page, () => page.getByRole('button', { name: 'Save' }).click());
  assert.equal(await page.locator('ul.findings li.finding.error').count(), 0,
               `errors remain: ${await page.locator('ul.findings').allInnerTexts()}`);
  assert.equal(await page.getByLabel('EQF level').inputValue(), '4');
  await navigate(page, () => page.getByRole('button', { name: 'Submit for review' }).click());
  assert.equal(new URL(page.url()).pathname, '/my/courses');
  assert.match(await text(page.locator('section#course-UI-101 .status')), /submitted/);
  await checkLinks(page);
  await page.context().close();

  // the reviewer approves it
  const reviewer = await newPage();
  await signIn(reviewer, 'ui-reviewer', 'reviewer password', '/review');
  const item = reviewer.locator('section#course-UI-101');
  assert.equal(await item.count(), 1, 'the submitted course is in the review queue');
  assert.equal(await item.locator('li.finding.error').count(), 0, 'no error blocks the approval');
  await shot(reviewer, 'courses-review-queue');
  await navigate(reviewer, () => item.getByRole('button', { name: 'Approve' }).click());
  assert.equal(new URL(reviewer.url()).pathname, '/review');
  assert.equal(await reviewer.locator('section#course-UI-101').count(), 0, 'the approved course left the queue');
  await reviewer.context().close();

  // anybody finds it in the catalogue
  const visitor = await newPage();
  await visitor.goto(`${BASE_URL}/courses?q=python`);
  const hit = visitor.locator('ol.results li').filter({ has: visitor.getByRole('link', { name: 'Python for data teams' }) });
  assert.equal(await hit.count(), 1, 'the approved course is found by /courses');
  await shot(visitor, 'courses-approved-found');
  return 'draft with an EQF error on the dashboard, 3 skills accepted, fixed, submitted, approved, found';
}

await scenario('catalogue: provider writes, reviewer approves', courseWorkflowScenario);

/*
 * Pathways (test_browser.sh adds the learner ui-learner; the approved courses are the Intelligence ones and
 * UI-101): anonymously, /pathways from an occupation to the gap of one of its moves, and /workforce; then the
 * learner signs in, adds a skill by search at a level and two from a pasted CV, aims at software developer,
 * sees it first on "where can I go" and gets the plan closing the one skill left (PY-DE teaches it), printable.
 */
async function pathwaysScenario() {
  const visitor = await newPage();
  await visitor.goto(`${BASE_URL}/pathways`);
  await visitor.getByLabel('Your occupation').fill('ICT system analyst');
  await navigate(visitor, () => visitor.getByRole('button', { name: 'Show pathways' }).click());
  assert.equal(await text(visitor.locator('main h2').first()), 'Where can I go from ICT system analyst?');
  const move = visitor.locator('table.skills tbody tr', { hasText: DEVELOPER.label });
  assert.equal(await move.count(), 1, 'software developer is a move from ICT system analyst');
  await navigate(visitor, () => move.getByRole('link', { name: 'What to learn' }).click());
  assert.equal(await text(visitor.locator('main section h2').first()), `Gap to ${DEVELOPER.label}`);
  assert.match(await text(visitor.locator('main section')), /Readiness: \d+%/);
  await visitor.goto(`${BASE_URL}/workforce`);
  await visitor.getByLabel('Headcount now').fill('ICT system analyst 4\nsoftware developer 1');
  await visitor.getByLabel('Target mix').fill('software developer 5');
  await navigate(visitor, () => visitor.getByRole('button', { name: 'Plan' }).click());
  const moves = visitor.locator('table.skills tbody tr');
  assert.equal(await moves.count(), 1, 'one move: analysts to developers');
  assert.match(await text(moves.first()), /^4 ICT system analyst software developer/);
  await visitor.context().close();

  const page = await newPage();
  await signIn(page, 'ui-learner', 'learner password', '/my/profile');
  assert.equal(await text(page.locator('h1')), 'My skill profile');
  assert.equal(await text(page.locator('#my-skills h2')), 'My skills (0)');
  // by search, at a level
  await page.getByLabel('Find a skill').fill('debug');
  await page.getByLabel('Level of the skills you add').selectOption('0.5');
  await navigate(page, () => page.getByRole('button', { name: 'Search' }).click());
  await navigate(page, () => page.getByRole('button', { name: `Add ${DEBUG.label}`, exact: true }).click());
  assert.equal(new URL(page.url()).pathname, '/my/profile');
  const row = page.locator('#my-skills tbody tr', { hasText: DEBUG.label });
  assert.match(await text(row), /50% declared/);
  // from a pasted CV: preview, then add all
  await page.getByLabel(/paste your CV/).fill('I write Python code every day and use version control with my team.');
  await navigate(page, () => page.getByRole('button', { name: 'Find skills in my CV' }).click());
  const found = page.locator('#cv-skills li');
  assert.deepEqual((await found.allInnerTexts()).map((t) => t.replace(/\s*Add$/, '')).sort(),
                   ['Python (computer programming)', 'use version control']);
  await shot(page, 'profile-cv-preview');
  await navigate(page, () => page.getByRole('button', { name: 'Add all new skills' }).click());
  assert.equal(await text(page.locator('#my-skills h2')), 'My skills (3)');
  assert.equal(await page.locator('#my-skills td', { hasText: /^cv$/ }).count(), 2, 'two skills come from the CV');
  // the target, then where I can go and my plan
  await page.getByLabel(/Occupation I aim at/).fill(DEVELOPER.label);
  await navigate(page, () => page.getByRole('button', { name: 'Save' }).click());
  assert.match(await text(page.locator('#my-target p').first()), new RegExp(`I aim at ${DEVELOPER.label}`));
  await shot(page, 'profile-page');
  await checkLinks(page);
  await navigate(page, () => page.getByRole('link', { name: 'Where can I go', exact: true }).click());
  const first = page.locator('table.skills tbody tr').first();
  assert.match(await text(first), new RegExp(`^${DEVELOPER.label} \\d+% 1 My plan`), 'the target is the readiest');
  await shot(page, 'profile-where-can-i-go');
  await navigate(page, () => first.getByRole('link', { name: 'My plan' }).click());
  assert.equal(await text(page.locator('main section h2').first()), `Gap to ${DEVELOPER.label}`);
  const steps = await page.locator('ol.plan li').allInnerTexts();
  assert.equal(steps.length, 1, `one course closes the gap: ${steps}`);
  assert.match(steps[0], /\(PY-DE, 30 h, 300\.00\): closes debug software/);
  await page.emulateMedia({ media: 'print' });
  assert.equal(await page.locator('header').isVisible(), false, 'the site frame is not printed');
  assert.equal(await page.locator('ol.plan').isVisible(), true, 'the plan is printed');
  await shot(page, 'profile-plan-print');
  return 'anonymous pathways, gap and workforce; 1 skill by search, 2 from a CV, target, ranking, plan PY-DE';
}

await scenario('pathways: anonymous pages, then my profile, where can I go, my plan', pathwaysScenario);

/*
 * Signing in and out from the page header, with the account ui-learner of test_browser.sh: a wrong password
 * shows the generic message, the right one sets the session cookie (HttpOnly, Secure, SameSite=Strict, accepted
 * by Chromium over http://127.0.0.1) and leads back; the header names the account; the account page creates an
 * API token (shown once) and revokes it; "Sign out" ends the session.
 */
async function accountScenario() {
  const page = await newPage();
  await page.goto(`${BASE_URL}/courses`);
  await navigate(page, () => page.locator('header').getByRole('link', { name: 'Sign in' }).click());
  assert.equal(new URL(page.url()).pathname, '/login');
  await page.getByLabel('Login').fill('ui-learner');
  await page.getByLabel('Password').fill('not the password');
  await navigate(page, () => page.locator('form.login button[type=submit]').click());
  assert.equal(await text(page.locator('main [role=alert]')), 'Wrong login or password.');
  assert.equal(await page.getByLabel('Login').inputValue(), 'ui-learner', 'the login is kept');
  await page.getByLabel('Password').fill('learner password');
  await navigate(page, () => page.locator('form.login button[type=submit]').click());
  assert.equal(new URL(page.url()).pathname, '/courses', 'signing in leads back to the page of the Sign in link');
  const [cookie] = await page.context().cookies();
  assert.deepEqual([cookie.name, cookie.httpOnly, cookie.secure, cookie.sameSite], ['__Host-skillhub', true, true, 'Strict']);
  assert.equal(await text(page.locator('header .account a')), 'ui-learner');
  await navigate(page, () => page.locator('header .account a').click());
  assert.match(await text(page.locator('dl.account')), /Login ui-learner Role learner/);
  await page.getByLabel('Label of a new token').fill('browser');
  await navigate(page, () => page.getByRole('button', { name: 'Create a token' }).click());
  assert.match(await text(page.locator('#new-token')), /^[A-Za-z0-9_-]{43}$/);
  await shot(page, 'account-new-token');
  const token = await text(page.locator('#new-token'));
  const me = await page.request.get(`${BASE_URL}/api/v1/me`, { headers: { Authorization: `Bearer ${token}` } });
  assert.equal((await me.json()).login, 'ui-learner', 'the new token works');
  await page.goto(`${BASE_URL}/account`);
  assert.equal(await page.locator('#new-token').count(), 0, 'a token is shown once');
  const row = page.locator('table.tokens tr', { hasText: 'browser' });
  await navigate(page, () => row.getByRole('button', { name: 'Revoke' }).click());
  assert.equal(await page.locator('table.tokens tr', { hasText: 'browser' }).count(), 0);
  await navigate(page, () => page.locator('header').getByRole('button', { name: 'Sign out' }).click());
  assert.equal(await text(page.locator('header .account')), 'Sign in');
  assert.deepEqual(await page.context().cookies(), [], 'signing out removes the cookie');
  await page.goto(`${BASE_URL}/account`);
  assert.equal(new URL(page.url()).pathname, '/login', 'the account page needs a session');
  return 'wrong password, sign in from the header, cookie attributes, token created once and revoked, sign out';
}

await scenario('accounts: sign in from the header, API token, sign out', accountScenario);

await browser.close();
console.log(`browser tests passed; screenshots in ${OUT_DIR}`);
