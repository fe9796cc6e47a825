/**
 * The console's stylesheet, served at /assets/console.css. Held in a module rather than a .css file so the
 * compiled package carries it with no copy step; system fonts only (no font service: it works offline).
 */
export const CONSOLE_CSS = `
:root {
  --ink: #1d2630; --muted: #52606d; --line: #d5dce3; --bg: #f6f8fa; --card: #ffffff;
  --accent: #0b5cad; --accent-ink: #ffffff; --ok: #1f7a3a; --warn: #8a5300; --bad: #b3261e;
  font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "Liberation Sans", sans-serif;
  color: var(--ink); background: var(--bg); line-height: 1.45;
}
* { box-sizing: border-box; }
body { margin: 0; }
a { color: var(--accent); }
a:focus-visible, button:focus-visible, input:focus-visible, select:focus-visible, textarea:focus-visible {
  outline: 3px solid #f0a500; outline-offset: 2px;
}
.skip { position: absolute; left: -999px; top: 0; background: var(--card); padding: .5rem 1rem; }
.skip:focus { left: .5rem; z-index: 10; }
header.top { background: #14212e; color: #fff; }
header.top .bar { display: flex; flex-wrap: wrap; align-items: center; gap: .25rem 1.25rem; padding: .5rem 1.25rem; max-width: 1280px; margin: 0 auto; }
header.top .brand { font-weight: 700; letter-spacing: .02em; color: #fff; text-decoration: none; margin-right: .5rem; }
nav.main ul { list-style: none; display: flex; flex-wrap: wrap; gap: .25rem; margin: 0; padding: 0; }
nav.main a { display: block; color: #dfe8f1; text-decoration: none; padding: .35rem .6rem; border-radius: 4px; }
nav.main a:hover { background: #23384c; color: #fff; }
nav.main a[aria-current="page"] { background: #2f5f8f; color: #fff; font-weight: 600; }
.who { margin-left: auto; display: flex; align-items: center; gap: .75rem; font-size: .92rem; color: #dfe8f1; }
.who form { margin: 0; }
.who button { background: transparent; color: #fff; border: 1px solid #6d8197; border-radius: 4px; padding: .25rem .6rem; cursor: pointer; font: inherit; }
.who a { color: #fff; }
.lookup { display: flex; gap: .25rem; align-items: center; }
.lookup input { width: 8.5rem; padding: .25rem .4rem; border-radius: 4px; border: 1px solid #6d8197; background: #0f1a25; color: #fff; font: inherit; }
.lookup button { background: #2f5f8f; color: #fff; border: 0; border-radius: 4px; padding: .3rem .6rem; font: inherit; cursor: pointer; }
main { max-width: 1280px; margin: 0 auto; padding: 1rem 1.25rem 3rem; }
h1 { font-size: 1.55rem; margin: .75rem 0 1rem; }
h2 { font-size: 1.15rem; margin: 1.75rem 0 .6rem; }
p.lead { color: var(--muted); margin-top: -.5rem; }
.card { background: var(--card); border: 1px solid var(--line); border-radius: 6px; padding: 1rem 1.25rem; margin-bottom: 1rem; }
table { border-collapse: collapse; width: 100%; background: var(--card); border: 1px solid var(--line); font-size: .93rem; }
caption { text-align: left; font-weight: 600; padding: .4rem 0; }
th, td { text-align: left; padding: .45rem .6rem; border-bottom: 1px solid var(--line); vertical-align: top; }
th { background: #eef2f6; font-weight: 600; white-space: nowrap; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
tbody tr:hover { background: #f3f7fb; }
code, .mono { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, "Liberation Mono", monospace; font-size: .9em; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: .3rem 1.25rem; margin: 0; }
dl.facts dt { color: var(--muted); }
dl.facts dd { margin: 0; }
.badge { display: inline-block; padding: .05rem .5rem; border-radius: 999px; font-size: .82rem; font-weight: 600; border: 1px solid currentColor; }
.ok { color: var(--ok); } .warn { color: var(--warn); } .bad { color: var(--bad); } .muted, .none { color: var(--muted); }
.hidden-field { color: var(--muted); font-style: italic; }
.flash { border-left: 4px solid var(--ok); background: #eaf6ee; padding: .6rem 1rem; margin-bottom: 1rem; }
.flash.error { border-color: var(--bad); background: #fbecea; }
form.review { display: grid; grid-template-columns: repeat(auto-fit, minmax(10rem, 1fr)); gap: .5rem .75rem; align-items: end; margin-top: .75rem; }
form.review .note { grid-column: 1 / -1; }
label { display: block; font-size: .88rem; color: var(--muted); margin-bottom: .15rem; }
input[type=text], input[type=password], select, textarea { width: 100%; padding: .4rem .5rem; border: 1px solid #8a96a3; border-radius: 4px; font: inherit; background: #fff; color: var(--ink); }
textarea { min-height: 3.2rem; }
button.primary { background: var(--accent); color: var(--accent-ink); border: 0; border-radius: 4px; padding: .5rem 1rem; font: inherit; font-weight: 600; cursor: pointer; }
.legs-to-review { display: grid; gap: 1rem; }
.leg-head { display: flex; flex-wrap: wrap; gap: .5rem 1.25rem; align-items: baseline; }
.leg-head .route { font-size: 1.1rem; font-weight: 600; margin: 0; }
.login { max-width: 24rem; margin: 1rem 0; }
.login form { display: grid; gap: .75rem; }
.grid2 { display: grid; grid-template-columns: repeat(auto-fit, minmax(22rem, 1fr)); gap: 1rem; }
footer.foot { max-width: 1280px; margin: 0 auto; padding: 0 1.25rem 2rem; color: var(--muted); font-size: .85rem; }
/* Now, Trips, Trip, Legs */
form.filters { display: flex; flex-wrap: wrap; gap: .5rem .9rem; align-items: end; background: var(--card); border: 1px solid var(--line); border-radius: 6px; padding: .75rem 1rem; margin-bottom: 1rem; }
form.filters label { margin: 0; }
form.filters input, form.filters select { display: block; width: auto; padding: .3rem .4rem; border: 1px solid #8a96a3; border-radius: 4px; font: inherit; color: var(--ink); background: #fff; }
form.filters button { background: var(--accent); color: var(--accent-ink); border: 0; border-radius: 4px; padding: .45rem .9rem; font: inherit; font-weight: 600; cursor: pointer; }
form.filters ul.errors { flex-basis: 100%; margin: 0; color: var(--bad); }
figure.map { margin: 0 0 1rem; }
figure.map svg { display: block; width: 100%; height: auto; border: 1px solid var(--line); border-radius: 6px; }
figure.map figcaption { color: var(--muted); font-size: .85rem; }
nav.pager { display: flex; gap: 1rem; margin: .75rem 0; }
ol.timeline { padding-left: 1.25rem; } ol.timeline li { margin: .2rem 0; } ol.timeline small { color: var(--muted); }
section.leg { background: var(--card); border: 1px solid var(--line); border-radius: 6px; padding: .25rem 1.25rem 1rem; margin-bottom: 1rem; }
section.leg h3 small { font-weight: 400; color: var(--muted); }
.badge.category-removal { color: var(--bad); } .badge.confidence-confirmed, .badge.review-confirmed { color: var(--ok); }
.badge.confidence-estimated, .badge.review-unreviewed { color: var(--warn); } .badge.review-rejected { color: var(--muted); }
@media (max-width: 700px) { .who { margin-left: 0; } table { font-size: .85rem; } }
`;
