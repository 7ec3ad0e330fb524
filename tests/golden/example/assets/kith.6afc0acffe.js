(function () {
"use strict";
var root = document.documentElement;
var KEY = "kith-theme";
var ORDER = ["system", "light", "dark"];
var status = document.getElementById("kith-status");
function announce(text) {
if (!status) { return; }
status.textContent = "";
window.setTimeout(function () { status.textContent = text; }, 60);
}
function saved() {
try { return localStorage.getItem(KEY); } catch (e) { return null; }
}
function save(value) {
try {
if (value === "system") { localStorage.removeItem(KEY); } else { localStorage.setItem(KEY, value); }
} catch (e) { /* private browsing: this page only */ }
}
function apply(value) {
if (value === "light" || value === "dark") { root.setAttribute("data-theme", value); }
else { root.removeAttribute("data-theme"); }
}
var toggle = document.querySelector(".theme-toggle");
if (toggle) {
var labels = JSON.parse(toggle.getAttribute("data-labels") || "{}");
var show = function (value) {
toggle.setAttribute("data-state", value);
toggle.setAttribute("aria-label", labels[value] || value);
toggle.setAttribute("title", labels[value] || value);
};
var current = saved();
show(ORDER.indexOf(current) > 0 ? current : "system");
toggle.hidden = false;
toggle.addEventListener("click", function () {
var now = ORDER.indexOf(toggle.getAttribute("data-state"));
var next = ORDER[(now + 1) % ORDER.length];
save(next);
apply(next);
show(next);
announce(labels[next] || next);
});
window.addEventListener("storage", function (event) {
if (event.key === KEY) {
var value = ORDER.indexOf(event.newValue) > 0 ? event.newValue : "system";
apply(value);
show(value);
}
});
}
function copyText(text) {
if (navigator.clipboard && window.isSecureContext) {
return navigator.clipboard.writeText(text);
}
return new Promise(function (resolve, reject) {
var area = document.createElement("textarea");
area.value = text;
area.setAttribute("readonly", "");
area.style.position = "fixed";
area.style.opacity = "0";
document.body.appendChild(area);
area.select();
var ok = false;
try { ok = document.execCommand("copy"); } catch (e) { ok = false; }
document.body.removeChild(area);
if (ok) { resolve(); } else { reject(new Error("copy")); }
});
}
if (status) {
var words = {
copy: status.getAttribute("data-copy"),
label: status.getAttribute("data-copy-label"),
copied: status.getAttribute("data-copied"),
failed: status.getAttribute("data-copy-failed")
};
document.querySelectorAll(".code-block").forEach(function (block) {
var head = block.querySelector(".code-head");
var code = block.querySelector("pre code") || block.querySelector("pre");
if (!head || !code) { return; }
var button = document.createElement("button");
button.type = "button";
button.className = "copy-button";
button.textContent = words.copy;
button.setAttribute("aria-label", words.label);
var timer = 0;
button.addEventListener("click", function () {
copyText(code.textContent).then(function () {
button.textContent = words.copied;
button.setAttribute("data-copied", "");
announce(words.copied);
window.clearTimeout(timer);
timer = window.setTimeout(function () {
button.textContent = words.copy;
button.removeAttribute("data-copied");
}, 2000);
}, function () {
announce(words.failed);
});
});
head.appendChild(button);
});
}
})();
