/*
 * server/assets.c - /static/style.css, /static/app.js and the icon, embedded.
 *
 * The pages work without the script: it only adds autocompletion to the
 * search box (filling its <datalist> from /api/v1/suggest) and submits the
 * language switcher when its selection changes.  The stylesheet is mobile
 * first (one column, wider screens get a roomier layout), keeps text
 * contrast above WCAG AA (4.5:1) and shows a visible focus ring.
 */
#include "server/assets.h"
#include "server/handlers.h"

const char sh_style_css[] =
	":root{--fg:#1b1b1b;--muted:#4a4a4a;--bg:#fff;--accent:#0b4f9c;--line:#d0d4da;--soft:#f2f4f7}\n"
	"*{box-sizing:border-box}\n"
	"html{font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;line-height:1.5;color:var(--fg);background:var(--bg)}\n"
	"body{margin:0}\n"
	"a{color:var(--accent)}\n"
	"a:hover{text-decoration-thickness:2px}\n"
	":focus-visible{outline:3px solid #e8a400;outline-offset:2px}\n"
	".skip{position:absolute;left:-999px;top:0;background:var(--fg);color:#fff;padding:.5rem 1rem;z-index:10}\n"
	".skip:focus{left:0}\n"
	"header{display:flex;flex-wrap:wrap;align-items:center;gap:.5rem 1.5rem;padding:.75rem 1rem;border-bottom:1px solid var(--line);background:var(--soft)}\n"
	".brand{font-weight:700;font-size:1.25rem;text-decoration:none;color:var(--fg)}\n"
	"header nav ul{list-style:none;margin:0;padding:0;display:flex;flex-wrap:wrap;gap:.25rem 1rem}\n"
	"form.lang{margin-left:auto}\n"
	".js form.lang button{display:none}\n"
	"main{max-width:60rem;margin:0 auto;padding:1rem}\n"
	"footer{border-top:1px solid var(--line);padding:1rem;color:var(--muted);font-size:.9rem;text-align:center}\n"
	"form.search{display:flex;flex-wrap:wrap;gap:.5rem;align-items:flex-end;margin:1rem 0}\n"
	"form.search label{display:block;font-weight:600}\n"
	"form.search .q{flex:1 1 16rem}\n"
	"input,select,button{font:inherit;padding:.5rem;border:1px solid #767676;border-radius:4px}\n"
	"input[type=search]{width:100%}\n"
	"button{background:var(--accent);color:#fff;border-color:var(--accent);cursor:pointer}\n"
	"ol.results{padding-left:1.5rem}\n"
	"ol.results li{margin:.5rem 0}\n"
	".kind{display:inline-block;font-size:.8rem;padding:0 .4rem;border:1px solid var(--line);border-radius:3px;color:var(--muted);margin-left:.4rem}\n"
	".matched{color:var(--muted);font-size:.9rem}\n"
	"nav.breadcrumbs ol{list-style:none;padding:0;margin:0;display:flex;flex-wrap:wrap;gap:.25rem}\n"
	"nav.breadcrumbs li+li::before{content:'\\203A';margin-right:.25rem;color:var(--muted)}\n"
	"dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:.25rem 1rem}\n"
	"dl.facts dt{font-weight:600}\n"
	"dl.facts dd{margin:0;overflow-wrap:anywhere}\n"
	"section{margin:1.5rem 0}\n"
	"ul.concepts{columns:2 18rem;padding-left:1.25rem}\n"
	".pager{display:flex;gap:1rem}\n"
	"form.analyse{display:grid;gap:.75rem;margin:1rem 0}\n"
	"form.analyse label{display:block;font-weight:600}\n"
	"form.analyse textarea{box-sizing:border-box;width:100%;font:inherit;padding:.5rem;border:1px solid #767676;border-radius:4px}\n"
	"form.analyse button{justify-self:start}\n"
	"form.inline{display:inline;margin:0 .25rem}\n"
	"form.course-form,form.reject{display:grid;gap:.75rem;margin:1rem 0;max-width:40rem}\n"
	"form.course-form label,form.reject label{display:block;font-weight:600}\n"
	"form.course-form small{display:block;color:var(--muted)}\n"
	"form.course-form input[type=text],form.course-form textarea,form.reject textarea{box-sizing:border-box;width:100%;font:inherit;padding:.5rem;border:1px solid #767676;border-radius:4px}\n"
	"form.course-form .check label{display:inline;margin-left:.4rem}\n"
	"form.course-form button,form.reject button{justify-self:start}\n"
	"li.finding.error{color:#a40000}\n"
	".status{font-size:.9rem;font-weight:400;padding:0 .4rem;border:1px solid var(--line);border-radius:3px}\n"
	".problems{border:2px solid #a40000;border-radius:4px;padding:0 1rem;margin:1rem 0}\n"
	"ul.skills li{margin:.3rem 0}\n"
	".analysed-text{white-space:pre-wrap;overflow-wrap:anywhere;border:1px solid var(--line);border-radius:4px;padding:1rem;background:var(--soft)}\n"
	"mark.skill{background:#fff0a8;color:var(--fg);border-radius:2px;padding:0 .1em}\n"
	"mark.skill a{color:#0a3d7a}\n"
	"table.skills{border-collapse:collapse;width:100%;margin:1rem 0}\n"
	"table.skills caption{text-align:left;font-weight:600;padding:.25rem 0}\n"
	"table.skills th,table.skills td{text-align:left;padding:.35rem .5rem;border-bottom:1px solid var(--line)}\n"
	"table.skills td{font-variant-numeric:tabular-nums}\n"
	"table.supply-areas{display:block;overflow-x:auto}\n"
	"@media print{header,footer,.skip,.noprint{display:none}a{color:inherit;text-decoration:none}table.skills{font-size:.9rem}}\n"
	"@media (max-width:40rem){form.lang{margin-left:0}dl.facts{grid-template-columns:1fr}ul.concepts{columns:1}table.skills th,table.skills td{padding:.3rem .25rem}}\n";

const char sh_app_js[] =
	"'use strict';\n"
	"document.documentElement.classList.add('js');\n"
	"document.addEventListener('DOMContentLoaded', function () {\n"
	"  var lang = document.getElementById('lang-select');\n"
	"  if (lang) lang.addEventListener('change', function () { lang.form.submit(); });\n"
	"  var q = document.getElementById('q');\n"
	"  var list = document.getElementById('suggestions');\n"
	"  if (!q || !list) return;\n"
	"  var timer = null, seq = 0;\n"
	"  q.addEventListener('input', function () {\n"
	"    clearTimeout(timer);\n"
	"    var text = q.value.trim();\n"
	"    if (text.length < 2) return;\n"
	"    timer = setTimeout(function () {\n"
	"      var mine = ++seq;\n"
	"      var url = '/api/v1/suggest?limit=8&q=' + encodeURIComponent(text) +\n"
	"                '&lang=' + encodeURIComponent(document.documentElement.lang || 'en');\n"
	"      fetch(url).then(function (r) { return r.ok ? r.json() : { results: [] }; }).then(function (data) {\n"
	"        if (mine !== seq) return;\n"
	"        list.replaceChildren();\n"
	"        data.results.forEach(function (hit) {\n"
	"          var o = document.createElement('option');\n"
	"          o.value = hit.label;\n"
	"          list.appendChild(o);\n"
	"        });\n"
	"      }).catch(function () {});\n"
	"    }, 150);\n"
	"  });\n"
	"});\n";

/* The site icon (also served at /favicon.ico, where browsers look without a <link>). */
static const char icon_svg[] =
	"<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 32 32\">"
	"<rect width=\"32\" height=\"32\" rx=\"6\" fill=\"#0b4f9c\"/>"
	"<path d=\"M9 21c2 2 5 3 8 2s4-4 1-6-5-2-5-5 3-4 6-3 3 2 4 3\" fill=\"none\" stroke=\"#fff\" stroke-width=\"3\" stroke-linecap=\"round\"/>"
	"</svg>\n";

static int reply_static(sh_request *req, const char *content, const char *type)
{
	int rc = sh_buf_puts(&req->body, content);
	return rc ? rc : sh_reply_ok(req, type);
}

int sh_asset_style(sh_request *req)
{
	return reply_static(req, sh_style_css, "text/css; charset=utf-8");
}

int sh_asset_script(sh_request *req)
{
	return reply_static(req, sh_app_js, "text/javascript; charset=utf-8");
}

int sh_asset_icon(sh_request *req)
{
	return reply_static(req, icon_svg, "image/svg+xml");
}
