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
// With no palette toggle configured, the theme's hidden colour-scheme radios only follow
// the device setting; take them out of the tab order.
for (const option of document.querySelectorAll("input.md-option")) {
  option.tabIndex = -1;
}
