// The recommendations filter (learning/recommendations/). Each combination of status and
// theme is its own static page; the form, hidden until this script runs, goes to the
// chosen one, or says so when no recommendation matches. Without JavaScript the tables
// of counts on the same page link to every combination.
for (const form of document.querySelectorAll("form.cr-filter")) {
  // "what was asked=the page that shows it", e.g. "not-known/neglect/=all/neglect/"
  const pages = new Map(form.dataset.pages.split(" ").map((pair) => pair.split("=")));
  const message = form.querySelector(".cr-filter-message");
  form.hidden = false;
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const status = form.elements.status.value;
    const theme = form.elements.theme.value;
    const asked = theme ? `${status}/${theme}/` : status === "all" ? "" : `${status}/`;
    const page = pages.get(asked);
    if (page === undefined) {
      const chosen = form.elements.theme.selectedOptions[0].textContent.replace(/ \(\d+\)$/, "");
      message.textContent = (theme ? `No recommendation on ${chosen} has the status you chose.`
        : "No recommendation has the status you chose.") + " Choose another status or theme.";
      return;
    }
    location.href = new URL(page, new URL(form.dataset.base, location.href)).href;
  });
}
