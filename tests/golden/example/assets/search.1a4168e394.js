(function () {
"use strict";
var page = document.querySelector("[data-search]");
if (!page) { return; }
var form = page.querySelector("form");
var input = page.querySelector("input[type=search]");
var status = page.querySelector(".search-status[role=status]");
var list = page.querySelector(".search-results");
var more = page.querySelector(".search-more");
var bundles = JSON.parse(page.getAttribute("data-bundles") || "[]");
var base = page.getAttribute("data-base") || "/";
var PAGE_SIZE = 10;
var engine = null;
var round = 0;
var pending = [];
function t(key, values) {
var text = page.getAttribute("data-t-" + key) || "";
Object.keys(values || {}).forEach(function (name) {
text = text.split("{" + name + "}").join(String(values[name]));
});
return text;
}
function load() {
if (!engine) {
if (!bundles.length) { return Promise.reject(new Error("no index")); }
engine = import(bundles[0] + "pagefind.js").then(function (pagefind) {
return pagefind.options({ basePath: bundles[0], baseUrl: base, excerptLength: 24 })
.then(function () {
return Promise.all(bundles.slice(1).map(function (bundle) {
return pagefind.mergeIndex(bundle, { baseUrl: base });
}));
})
.then(function () { return pagefind; });
});
}
return engine;
}
function excerpt(html) {
var box = document.createElement("p");
box.className = "search-excerpt";
var marked = false;
html.replace(/\u200b/g, "").split(/(<mark>|<\/mark>)/).forEach(function (part) {
if (part === "<mark>") { marked = true; return; }
if (part === "</mark>") { marked = false; return; }
if (!part) { return; }
var node = document.createTextNode(part.replace(/&lt;/g, "<").replace(/&gt;/g, ">"));
if (marked) {
var mark = document.createElement("mark");
mark.appendChild(node);
box.appendChild(mark);
} else {
box.appendChild(node);
}
});
return box;
}
function show(items) {
items.forEach(function (item) {
var entry = document.createElement("li");
entry.className = "search-result";
var heading = document.createElement("h2");
heading.className = "search-result-title";
var link = document.createElement("a");
link.href = item.url;
link.textContent = (item.meta && item.meta.title) || item.url;
heading.appendChild(link);
entry.appendChild(heading);
entry.appendChild(excerpt(item.excerpt || ""));
list.appendChild(entry);
});
}
function next(mine) {
var batch = pending.splice(0, PAGE_SIZE);
more.hidden = true;
return Promise.all(batch.map(function (result) { return result.data(); }))
.then(function (items) {
if (mine !== round) { return; }
show(items);
more.hidden = pending.length === 0;
});
}
function run(query) {
var mine = ++round;
list.textContent = "";
pending = [];
more.hidden = true;
var url = new URL(window.location.href);
if (query) { url.searchParams.set("q", query); } else { url.searchParams.delete("q"); }
window.history.replaceState(null, "", url);
if (!query.trim()) { status.textContent = ""; return; }
status.textContent = t("loading");
load().then(function (pagefind) { return pagefind.search(query); }).then(function (found) {
if (mine !== round) { return; }
var results = found ? found.results : [];
if (!results.length) { status.textContent = t("none", { q: query }); return; }
status.textContent = results.length === 1 ? t("one", { q: query })
: t("many", { n: results.length, q: query });
pending = results.slice();
return next(mine);
}).catch(function () {
if (mine === round) { status.textContent = t("failed"); }
});
}
var timer = 0;
input.addEventListener("input", function () {
window.clearTimeout(timer);
timer = window.setTimeout(function () { run(input.value); }, 250);
});
form.addEventListener("submit", function (event) {
event.preventDefault();
window.clearTimeout(timer);
run(input.value);
});
more.addEventListener("click", function () {
var first = list.children.length;
next(round).then(function () {
var link = list.children[first] && list.children[first].querySelector("a");
if (link) { link.focus(); }
});
});
var asked = new URLSearchParams(window.location.search).get("q") || "";
if (asked) {
input.value = asked;
run(asked);
}
})();
