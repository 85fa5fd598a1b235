/**
 * The status page: one HTML document with its CSS and script inline; uPlot comes from
 * /assets (node_modules), so the page needs nothing from the internet. It follows the fleet
 * state with a ZeroMQ SUB socket: zmtp's browser build (/assets/zmtp.js) connected over ws:// to
 * the XPUB of its server (live.ts), and fetches chart series from /api/series.
 * User-supplied text (host names, check output, notification text) is set with textContent.
 */
export const STATUS_PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="zmtp-csrf" content="{{CSRF}}">
<meta name="zmtp-user" content="{{USER}}">
<meta name="zmtp-live" content="{{LIVE}}">
<title>{{TITLE}}</title>
<link rel="stylesheet" href="/assets/uplot.css">
<style>
  :root { --bg: #0f1419; --panel: #171e26; --line: #26313d; --text: #dbe3ea; --dim: #8b98a5;
          --ok: #2ea043; --warn: #d29922; --crit: #e5534b; --unknown: #8b5cf6; --info: #388bfd; }
  * { box-sizing: border-box; }
  body { margin: 0; background: var(--bg); color: var(--text); font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; }
  header { display: flex; align-items: center; gap: 16px; padding: 14px 24px; border-bottom: 1px solid var(--line); background: var(--panel); flex-wrap: wrap; }
  header h1 { font-size: 18px; margin: 0 12px 0 0; font-weight: 600; letter-spacing: .2px; }
  .chips { display: flex; gap: 8px; flex-wrap: wrap; }
  .chip { padding: 3px 10px; border-radius: 999px; border: 1px solid var(--line); color: var(--dim); font-size: 13px; }
  .chip b { color: var(--text); font-weight: 600; }
  #live { margin-left: auto; font-size: 12px; color: var(--dim); display: flex; align-items: center; gap: 6px; }
  #live i { width: 8px; height: 8px; border-radius: 50%; background: var(--dim); display: inline-block; }
  #live.on i { background: var(--ok); box-shadow: 0 0 6px var(--ok); }
  main { padding: 18px 24px; display: grid; grid-template-columns: minmax(0, 1fr) minmax(0, 1fr); gap: 18px; }
  section { background: var(--panel); border: 1px solid var(--line); border-radius: 8px; padding: 12px 14px; min-width: 0; }
  section.wide { grid-column: 1 / -1; }
  h2 { font-size: 13px; text-transform: uppercase; letter-spacing: .8px; color: var(--dim); margin: 0 0 10px; font-weight: 600; }
  table { width: 100%; border-collapse: collapse; }
  th { text-align: left; font-weight: 500; color: var(--dim); font-size: 12px; padding: 4px 8px; border-bottom: 1px solid var(--line); }
  td { padding: 6px 8px; border-bottom: 1px solid var(--line); vertical-align: top; }
  tr:last-child td { border-bottom: 0; }
  td.text { color: var(--dim); word-break: break-word; }
  td.nowrap { white-space: nowrap; }
  .pill { display: inline-block; min-width: 64px; text-align: center; padding: 1px 8px; border-radius: 4px; font-size: 12px; font-weight: 600; color: #fff; }
  .up, .OK, .ok { background: var(--ok); } .down, .CRITICAL, .critical { background: var(--crit); }
  .WARNING, .warning { background: var(--warn); color: #1b1300; } .UNKNOWN, .unknown { background: var(--unknown); } .info { background: var(--info); }
  .muted { color: var(--dim); font-size: 12px; }
  button { background: transparent; color: var(--text); border: 1px solid var(--line); border-radius: 4px; padding: 1px 10px; cursor: pointer; font: inherit; font-size: 12px; }
  button:hover { border-color: var(--dim); }
  .charts { display: grid; grid-template-columns: repeat(auto-fill, minmax(360px, 1fr)); gap: 14px; }
  .card { border: 1px solid var(--line); border-radius: 6px; padding: 8px 10px; min-width: 0; }
  .card header { all: unset; display: flex; justify-content: space-between; align-items: center; gap: 8px; margin-bottom: 6px; }
  .card select { background: var(--bg); color: var(--text); border: 1px solid var(--line); border-radius: 4px; font: inherit; font-size: 12px; max-width: 60%; }
  .uplot { font-family: inherit; } .u-legend { display: none; }
  .empty { color: var(--dim); padding: 8px; }
  .filters { display: flex; gap: 8px; flex-wrap: wrap; margin: -4px 0 8px; }
  .filters select, .filters input { background: var(--bg); color: var(--text); border: 1px solid var(--line); border-radius: 4px; font: inherit; font-size: 12px; padding: 1px 4px; }
  a.host { color: var(--text); text-decoration: none; border-bottom: 1px dotted var(--dim); cursor: pointer; }
  .count { color: var(--dim); font-size: 12px; margin-left: 6px; }
  body.host-view main > section:not(#host-view) { display: none; }
  #host-view { display: none; } body.host-view #host-view { display: block; }
  #host-view h3 { font-size: 13px; color: var(--dim); margin: 14px 0 6px; font-weight: 600; }
  @media (max-width: 900px) { main { grid-template-columns: 1fr; } }
</style>
</head>
<body>
<header>
  <h1>{{TITLE}}</h1>
  <div class="chips" id="summary"></div>
  <div id="live"><i></i><span>connecting</span></div>
</header>
<main>
  <section class="wide" id="host-view"><h2><a href="#" class="host">all hosts</a> · <span id="hv-title"></span></h2><div id="hv-body"></div></section>
  <section class="wide" id="problems-section"><h2>Problems</h2>
    <div class="filters">
      <select id="f-host" aria-label="host"><option value="">every host</option></select>
      <select id="f-check" aria-label="check"><option value="">every check</option></select>
      <select id="f-severity" aria-label="severity"><option value="">every severity</option><option>critical</option><option>unknown</option><option>warning</option></select>
      <select id="f-ack" aria-label="acknowledged"><option value="">acknowledged or not</option><option value="no">not acknowledged</option><option value="yes">acknowledged</option></select>
    </div>
    <table id="problems"><thead><tr><th>Severity</th><th>Host</th><th>What</th><th>Problem</th><th>Since</th><th>Acknowledged</th></tr></thead><tbody></tbody></table></section>
  <section><h2>Hosts</h2><table id="hosts"><thead><tr><th>Host</th><th>State</th><th>Last heartbeat</th><th>Processes</th></tr></thead><tbody></tbody></table></section>
  <section><h2>Checks</h2><table id="checks"><thead><tr><th>Host</th><th>Check</th><th>State</th><th>Output</th><th>Age</th></tr></thead><tbody></tbody></table></section>
  <section class="wide"><h2>Monitor</h2><table id="roles"><thead><tr><th>Role</th><th>Name</th><th>State</th><th>Last heartbeat</th><th>Figures</th></tr></thead><tbody></tbody></table></section>
  <section class="wide"><h2>Stats</h2><div class="charts" id="charts"></div></section>
  <section class="wide"><h2>Recent notifications (repeats grouped) <button id="ack-all" title="acknowledge every unacknowledged notification">Acknowledge all</button></h2><table id="notifications"><thead><tr><th>Time</th><th>Host</th><th>Severity</th><th>Notification</th><th>Acknowledged</th></tr></thead><tbody></tbody></table></section>
</main>
<script src="/assets/uplot.js"></script>
<script>
"use strict";
const COLORS = ["#58a6ff", "#3fb950", "#f0883e", "#bc8cff", "#f778ba", "#56d4dd"];
const charts = new Map();
let last = null;

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (k === "class") node.className = v; else if (k.startsWith("on")) node.addEventListener(k.slice(2), v); else node.setAttribute(k, v);
  }
  for (const c of children) node.append(c instanceof Node ? c : document.createTextNode(String(c)));
  return node;
}
function ago(ms, now) {
  const s = Math.max(0, Math.round((now - ms) / 1000));
  if (s < 60) return s + " s ago";
  if (s < 3600) return Math.floor(s / 60) + " min ago";
  return Math.floor(s / 3600) + " h ago";
}
function clock(ms) { return new Date(ms).toLocaleTimeString(); }
function pill(text, cls) { return el("span", { class: "pill " + cls }, text); }
function fill(id, rows, empty, columns) {
  const body = document.querySelector("#" + id + " tbody");
  body.replaceChildren(...(rows.length ? rows : [el("tr", {}, el("td", { class: "empty", colspan: String(columns) }, empty))]));
}

function render(s) {
  last = s;
  const c = s.summary.checks;
  document.getElementById("summary").replaceChildren(
    el("span", { class: "chip" }, el("b", {}, s.summary.hostsUp), " up"),
    el("span", { class: "chip" }, el("b", {}, s.summary.hostsDown), " down"),
    el("span", { class: "chip" }, el("b", {}, c.OK), " ok · ", el("b", {}, c.WARNING), " warning · ", el("b", {}, c.CRITICAL), " critical · ", el("b", {}, c.UNKNOWN), " unknown"),
    el("span", { class: "chip" }, el("b", {}, s.summary.unacknowledged), " unacknowledged"),
  );
  fill("hosts", s.hosts.map((h) => el("tr", { "data-host": h.host },
    el("td", { title: h.agent }, hostLink(h.agent, h.host)),
    el("td", {}, pill(h.state.toUpperCase(), h.state)),
    el("td", {}, ago(h.lastSeen, s.now), el("div", { class: "muted" }, "every " + h.interval / 1000 + " s")),
    el("td", { class: "text" }, h.processes.length ? h.processes.map((p) => p.name + " " + p.state).join(", ") : "—"),
  )), "no hosts yet", 4);
  fill("checks", s.checks.map((k) => el("tr", { "data-check": k.host + "/" + k.check },
    el("td", { class: "nowrap" }, k.host), el("td", { class: "nowrap" }, k.check), el("td", {}, pill(k.status, k.status)),
    el("td", { class: "text" }, k.text), el("td", { class: "muted nowrap" }, ago(k.time, s.now)),
  )), "no check results yet", 5);
  fill("notifications", groupRows(s.groups || [], s.now), "no notifications", 5);
  renderProblems(s);
  if (hostShown()) showHost(false);
  fill("roles", (s.roles || []).map((r) => el("tr", { "data-role": r.kind + "/" + r.name },
    el("td", {}, r.kind), el("td", { title: r.id }, r.name), el("td", {}, pill(r.state.toUpperCase(), r.state)),
    el("td", {}, ago(r.lastSeen, s.now)), el("td", { class: "text" }, figures(r, s.now)),
  )), "no routers, sinks or schedulers reporting yet", 5);
  for (const h of s.hosts) chartFor(h, s.chartStats);
}

// A role's counters summed by their last name part (received, dropped, pending...), with a rate
// per second for counters since the previous update.
const previous = new Map();
const GAUGES = ["pending", "agents", "buffered", "sinks"];
const STREAM_NAMES = ["heartbeat", "registration", "stats", "notification"];
function figures(r, now) {
  const sums = {};
  for (const [name, value] of Object.entries(r.stats)) {
    const parts = name.split(".");
    // forwarded.stats (router) is "forwarded"; stats.received (sink) is "received".
    const key = STREAM_NAMES.includes(parts[parts.length - 1]) ? parts[0] : parts[parts.length - 1];
    sums[key] = (sums[key] || 0) + value;
  }
  const before = previous.get(r.id);
  previous.set(r.id, { at: now, sums });
  const out = [];
  for (const [key, value] of Object.entries(sums)) {
    let text = key + " " + value.toLocaleString();
    const gauge = GAUGES.includes(key);
    if (!gauge && before && now > before.at && before.sums[key] !== undefined) {
      text += " (" + ((value - before.sums[key]) / ((now - before.at) / 1000)).toFixed(1) + "/s)";
    }
    out.push(text);
  }
  return out.join(" · ") || "—";
}

// State changes carry the page's CSRF token (the server refuses them without it) and JSON.
const CSRF = document.querySelector('meta[name="zmtp-csrf"]').content;
const USER = document.querySelector('meta[name="zmtp-user"]').content;
function post(path, body) {
  return fetch(path, { method: "POST", headers: { "content-type": "application/json", "x-csrf-token": CSRF }, body: JSON.stringify(body) });
}
document.getElementById("ack-all").addEventListener("click", () => {
  post("/api/ack", { all: true, by: USER || localStorage.getItem("operator") || "operator" });
});
function acknowledgeGroups(groups) {
  // Signed in, the server records the user; an open page says who the operator is.
  const by = USER || localStorage.getItem("operator") || "operator";
  return post("/api/ack", { groups, by });
}
function hostLink(agent, name) {
  return el("a", { class: "host", href: "#host=" + agent, "data-agent": agent }, name);
}
function acked(a, groups) {
  return a ? el("span", { class: "muted" }, "by " + a.by + " at " + clock(a.time))
    : groups.length ? el("button", { onclick: () => acknowledgeGroups(groups) }, "Acknowledge") : el("span", { class: "muted" }, "—");
}
function groupRows(groups, now) {
  return groups.map((g) => el("tr", { "data-group": g.group },
    el("td", { class: "muted nowrap" }, clock(g.last)), el("td", { class: "nowrap" }, hostLink(g.agent, g.host)), el("td", {}, pill(g.severity, g.severity)),
    el("td", { class: "text" }, g.text, g.count > 1 ? el("span", { class: "count", title: g.paged + " paged; first " + clock(g.first) }, "×" + g.count) : "",
      g.silenced ? el("span", { class: "muted" }, " (silenced)") : ""),
    el("td", {}, acked(g.acknowledged, g.unacknowledged ? [g.group] : [])),
  ));
}

// Problems first, filtered by host, check, severity and acknowledgement (kept in localStorage).
const FILTERS = { host: "f-host", check: "f-check", severity: "f-severity", ack: "f-ack" };
for (const [key, id] of Object.entries(FILTERS)) {
  const select = document.getElementById(id);
  select.addEventListener("change", () => { localStorage.setItem("filter:" + key, select.value); if (last) renderProblems(last); });
}
function options(id, values, all) {
  const select = document.getElementById(id);
  const keep = select.value || localStorage.getItem("filter:" + Object.keys(FILTERS).find((k) => FILTERS[k] === id)) || "";
  const wanted = ["", ...values];
  if ([...select.options].map((o) => o.value).join() !== wanted.join())
    select.replaceChildren(el("option", { value: "" }, all), ...values.map((v) => el("option", { value: v }, v)));
  select.value = wanted.includes(keep) ? keep : "";
}
function renderProblems(s) {
  options("f-host", [...new Set(s.hosts.map((h) => h.host))].sort(), "every host");
  options("f-check", [...new Set(s.checks.map((c) => c.check))].sort(), "every check");
  const f = { host: document.getElementById("f-host").value, check: document.getElementById("f-check").value,
    severity: document.getElementById("f-severity").value, ack: document.getElementById("f-ack").value };
  const shown = (s.problems || []).filter((p) => (!f.host || p.host === f.host) && (!f.check || p.check === f.check)
    && (!f.severity || p.severity === f.severity) && (!f.ack || (p.acknowledged !== null) === (f.ack === "yes")));
  fill("problems", shown.map((p) => el("tr", { "data-problem": p.kind + ":" + p.host + (p.check ? "/" + p.check : p.process ? "/" + p.process : "") },
    el("td", {}, pill(p.severity, p.severity)), el("td", { class: "nowrap" }, hostLink(p.agent, p.host)),
    el("td", { class: "nowrap" }, p.check || p.process || p.kind),
    el("td", { class: "text" }, p.text, p.notifications > 1 ? el("span", { class: "count" }, "×" + p.notifications) : ""),
    el("td", { class: "muted nowrap" }, ago(p.since, s.now)),
    el("td", {}, acked(p.acknowledged, p.groups)),
  )), (s.problems || []).length ? "no problem matches the filters" : "no problems", 6);
}

// The host view (#host=AGENT): registrations, state, checks and history, from /api/host.
function hostShown() { return /^#host=/.test(location.hash); }
let hostFetched = 0;
async function showHost(force) {
  if (!force && Date.now() - hostFetched < 2000) return;
  hostFetched = Date.now();
  const agent = decodeURIComponent(location.hash.slice(6));
  const res = await fetch("/api/host?agent=" + encodeURIComponent(agent));
  const body = document.getElementById("hv-body");
  if (!res.ok) { body.replaceChildren(el("div", { class: "empty" }, "no such host")); return; }
  const h = await res.json();
  const now = last ? last.now : Date.now();
  document.getElementById("hv-title").textContent = h.host;
  const table = (id, head, rows, empty) => el("table", { id }, el("thead", {}, el("tr", {}, ...head.map((t) => el("th", {}, t)))),
    el("tbody", {}, ...(rows.length ? rows : [el("tr", {}, el("td", { class: "empty", colspan: String(head.length) }, empty))])));
  body.replaceChildren(
    el("div", {}, pill(h.state.toUpperCase(), h.state), " ", el("span", { class: "muted" },
      (h.lastSeen ? "last heartbeat " + ago(h.lastSeen, now) : "no heartbeat yet") + (h.firstSeen ? " · first seen " + new Date(h.firstSeen).toLocaleString() : "") + " · " + h.agent)),
    el("h3", {}, "Registrations"),
    table("hv-registrations", ["Process", "PID", "Version", "Checks", "Registered", "State"], h.registrations.map((r) => el("tr", { "data-process": r.process },
      el("td", {}, r.process), el("td", {}, r.pid === undefined ? "—" : String(r.pid)), el("td", {}, r.version || "—"),
      el("td", { class: "text" }, r.checks.map((c) => c.name + " every " + c.interval / 1000 + " s").join(", ") || "—"),
      el("td", { class: "muted nowrap" }, new Date(r.time).toLocaleString()),
      el("td", {}, r.state ? pill(r.state.toUpperCase(), r.state) : el("span", { class: "muted" }, "no heartbeats")),
    )), "no registrations"),
    el("h3", {}, "Checks"),
    table("hv-checks", ["Check", "State", "Output", "Age"], h.checks.map((c) => el("tr", {},
      el("td", {}, c.check), el("td", {}, pill(c.status, c.status)), el("td", { class: "text" }, c.text), el("td", { class: "muted nowrap" }, ago(c.time, now)),
    )), "no check results"),
    el("h3", {}, "Notifications"),
    table("hv-notifications", ["Last", "Severity", "Notification", "Acknowledged"], h.history.notifications.map((g) => el("tr", {},
      el("td", { class: "muted nowrap" }, clock(g.last)), el("td", {}, pill(g.severity, g.severity)),
      el("td", { class: "text" }, g.text, g.count > 1 ? el("span", { class: "count" }, "×" + g.count) : ""),
      el("td", {}, acked(g.acknowledged, g.unacknowledged ? [g.group] : [])),
    )), "no notifications"),
    el("h3", {}, "Up and down"),
    table("hv-presence", ["Time", "What", "State"], h.history.presence.map((e) => el("tr", {},
      el("td", { class: "muted nowrap" }, new Date(e.time).toLocaleString()), el("td", {}, e.what), el("td", {}, pill(e.state.toUpperCase(), e.state)),
    )), "no changes"),
    el("h3", {}, "Recent check results"),
    table("hv-results", ["Time", "Check", "State", "Output", "Run by"], h.history.results.map((r) => el("tr", {},
      el("td", { class: "muted nowrap" }, clock(r.time)), el("td", {}, r.check), el("td", {}, pill(r.status, r.status)),
      el("td", { class: "text" }, r.text), el("td", { class: "muted" }, r.trigger),
    )), "no results"),
  );
}
function route() {
  document.body.classList.toggle("host-view", hostShown());
  if (hostShown()) showHost(true);
}
window.addEventListener("hashchange", route);
route();

function chartFor(host, preferred) {
  const names = [...preferred.filter((n) => host.stats.includes(n)), ...host.stats.filter((n) => !preferred.includes(n))];
  let chart = charts.get(host.agent);
  if (!chart) {
    if (!names.length) return;
    const select = el("select", {});
    const box = el("div", {});
    const title = el("b", {});
    const card = el("div", { class: "card" }, el("header", {}, title, select), box);
    document.getElementById("charts").append(card);
    chart = { card, title, select, box, plot: null, names: [], color: COLORS[charts.size % COLORS.length], fetched: 0 };
    charts.set(host.agent, chart);
    select.addEventListener("change", () => { localStorage.setItem("stat:" + host.agent, select.value); chart.fetched = 0; refresh(host.agent, chart); });
  }
  document.getElementById("charts").append(chart.card); // keeps the cards in host order
  // The host name may become known after the card was made (until then it shows the agent id).
  chart.card.setAttribute("data-chart", host.host);
  chart.title.textContent = host.host;
  chart.select.setAttribute("aria-label", "stat for " + host.host);
  if (names.join() !== chart.names.join()) {
    const keep = chart.select.value || localStorage.getItem("stat:" + host.agent) || names[0];
    chart.names = names;
    chart.select.replaceChildren(...names.map((n) => el("option", { value: n }, n)));
    chart.select.value = names.includes(keep) ? keep : names[0];
  }
  if (Date.now() - chart.fetched > 4000) refresh(host.agent, chart);
}

async function refresh(agent, chart) {
  chart.fetched = Date.now();
  const name = chart.select.value;
  const res = await fetch("/api/series?agent=" + agent + "&name=" + encodeURIComponent(name) + "&since=" + (Date.now() - 15 * 60 * 1000));
  if (!res.ok) return;
  const data = await res.json();
  const width = Math.max(280, chart.box.clientWidth);
  if (!chart.plot || chart.plot.series[1].label !== name) {
    chart.plot?.destroy();
    chart.plot = new uPlot({
      width, height: 170, legend: { show: false }, cursor: { drag: { x: false, y: false } },
      // A single point would make a degenerate (years-wide) time axis: show its last minute instead.
      scales: { x: { time: true, range: (u, min, max) => (max - min < 10 ? [max - 60, max + 1] : [min, max]) } },
      axes: [{ stroke: "#8b98a5", grid: { stroke: "#26313d" }, ticks: { stroke: "#26313d" } },
             { stroke: "#8b98a5", grid: { stroke: "#26313d" }, ticks: { stroke: "#26313d" }, size: 56 }],
      series: [{}, { label: name, stroke: chart.color, width: 2, fill: chart.color + "22", points: { show: false } }],
    }, data, chart.box);
  } else {
    chart.plot.setData(data);
    if (chart.plot.width !== width) chart.plot.setSize({ width, height: 170 });
  }
}

window.addEventListener("resize", () => { for (const c of charts.values()) c.fetched = 0; if (last) render(last); });
</script>
<script type="module">
// Live updates: a SUB socket of zmtp's browser build, over ws:// to this server's XPUB. The URL
// carries the token the server signed for this page's user: without it the upgrade is refused.
import { Subscriber } from '/assets/zmtp.js';
const live = document.getElementById("live");
const sub = new Subscriber({ reconnectInterval: 1000, reconnectMaxInterval: 5000 });
sub.events.on("disconnect", () => { live.className = ""; live.lastChild.textContent = "reconnecting"; });
const scheme = location.protocol === "https:" ? "wss://" : "ws://";
sub.connect(scheme + location.host + document.querySelector('meta[name="zmtp-live"]').content);
sub.subscribe("state");
for await (const [, body] of sub) {
  live.className = "on";
  live.lastChild.textContent = "live";
  try { render(JSON.parse(body.toString())); } catch (err) { console.error("state not shown:", err); }
}
</script>
</body>
</html>
`;
