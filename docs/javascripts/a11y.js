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
