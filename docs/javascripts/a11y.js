// Material keeps two hidden checkboxes that drive its drawer and search overlay. They
// are never shown or focused, so hide them from assistive technology and name them,
// as WCAG checkers expect of every form control.
for (const [id, name] of [["__drawer", "Navigation menu"], ["__search", "Search"]]) {
  const toggle = document.getElementById(id);
  if (toggle) {
    toggle.setAttribute("aria-hidden", "true");
    toggle.setAttribute("aria-label", name);
  }
}
// overrides/base.html drops the theme's autocomplete="off" from those checkboxes (HTML
// does not allow it there). Firefox may then restore a ticked toggle when a page is
// reloaded or reached with Back, leaving the menu or search open: start closed instead.
addEventListener("pageshow", () => {
  for (const id of ["__drawer", "__search"]) {
    const toggle = document.getElementById(id);
    if (toggle && toggle.checked) {
      toggle.checked = false;
      toggle.dispatchEvent(new Event("change"));
    }
  }
});
// With no palette toggle configured, the theme's hidden colour-scheme radios only follow
// the device setting; take them out of the tab order.
for (const option of document.querySelectorAll("input.md-option")) {
  option.tabIndex = -1;
}
// A table wider than the page scrolls sideways inside the theme's wrapper. Keyboard users
// must be able to scroll it too: make each such wrapper a named, focusable region. The
// theme wraps tables when it renders a page, so wait for that.
function tableName(wrap) {
  const labelled = wrap.closest("[data-table-label]");
  if (labelled) return labelled.dataset.tableLabel;
  for (let node = wrap.previousElementSibling; node; node = node.previousElementSibling) {
    if (/^H[1-6]$/.test(node.tagName)) return `${node.textContent.replace("¶", "").trim()} (table, scrolls sideways)`;
  }
  return "Table (scrolls sideways)";
}
function focusableScrollers() {
  const used = new Map();
  for (const wrap of document.querySelectorAll(".md-typeset__scrollwrap")) {
    if (wrap.scrollWidth > wrap.clientWidth && !wrap.hasAttribute("tabindex")) {
      let name = tableName(wrap);
      const seen = (used.get(name) || 0) + 1;
      used.set(name, seen);
      if (seen > 1) name = `${name}, ${seen}`;  // each region's name is its own
      wrap.tabIndex = 0;
      wrap.setAttribute("role", "region");
      wrap.setAttribute("aria-label", name);
    }
  }
}
if (window.document$) {
  window.document$.subscribe(focusableScrollers);
} else {
  addEventListener("DOMContentLoaded", focusableScrollers);
}
addEventListener("resize", focusableScrollers);
