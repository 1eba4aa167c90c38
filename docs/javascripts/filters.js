// The recommendations filter (learning/recommendations/). Each combination of status and
// theme is its own static page; the form, hidden until this script runs, goes to the
// chosen one, or says so when no recommendation matches. Without JavaScript the tables
// of counts on the same page link to every combination.
// choices.json maps what can be asked to the page that shows it, relative to the
// recommendations page: {"accepted/neglect/": "accepted/neglect/", "all/neglect/":
// "../../themes/neglect/", ...}. Combinations with no recommendation are not in it.
for (const form of document.querySelectorAll("form.cr-filter")) {
  const message = form.querySelector(".cr-filter-message");
  let choices = null;
  form.hidden = false;
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    if (choices === null) {
      try {
        choices = await (await fetch(form.dataset.choices)).json();
      } catch {
        message.textContent = "The filter could not load. Use the tables of counts below instead.";
        return;
      }
    }
    const status = form.elements.status.value;
    const theme = form.elements.theme.value;
    const asked = theme ? `${status}/${theme}/` : status === "all" ? "" : `${status}/`;
    const page = choices[asked];
    if (page === undefined) {
      const chosen = form.elements.theme.selectedOptions[0].textContent.replace(/ \(\d+\)$/, "");
      message.textContent = (theme ? `No recommendation on ${chosen} has the status you chose.`
        : "No recommendation has the status you chose.") + " Choose another status or theme.";
      return;
    }
    location.href = new URL(page, new URL(form.dataset.base, location.href)).href;
  });
}
