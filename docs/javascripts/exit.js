// The quick exit, after the GOV.UK "Exit this page" pattern. Without JavaScript the button
// is a plain link to a neutral site. With it, the button (or Shift pressed three times, each
// press within five seconds of the last) covers the page at once, says "Loading." to screen
// readers, and replaces this page in the browser's history with the neutral site, so that
// Back does not return here. Nothing is requested from the neutral site until then.
{ // a block, so these names stay out of the page's global scope
  const root = document.querySelector("[data-cr-exit]");
  const button = root && root.querySelector("a");
  const WAIT = 5000; // milliseconds allowed between presses of Shift

  if (button) {
    const status = document.createElement("span");
    status.className = "cr-visually-hidden";
    status.setAttribute("role", "status");
    root.append(status);
    const lights = document.createElement("span");
    lights.className = "cr-exit__lights";
    lights.setAttribute("aria-hidden", "true");
    lights.hidden = true;
    for (let i = 0; i < 3; i++) {
      const light = document.createElement("span");
      light.className = "cr-exit__light";
      lights.append(light);
    }
    button.append(lights);

    let presses = 0;
    let timer = null;
    let shiftWasHeld = false; // Shift released after Shift+A is a modifier, not a press
    let overlay = null;

    const show = () => {
      lights.hidden = presses === 0;
      [...lights.children].forEach((light, i) => light.classList.toggle("cr-exit__light--on", i < presses));
    };
    const expire = () => {
      clearTimeout(timer);
      timer = null;
      if (presses) status.textContent = "Exit this page expired.";
      presses = 0;
      show();
    };
    const leave = () => {
      clearTimeout(timer);
      presses = 0;
      status.textContent = "";
      overlay = document.createElement("div");
      overlay.className = "cr-exit-overlay";
      overlay.setAttribute("role", "alert");
      document.body.append(overlay);
      document.body.classList.add("cr-exiting");
      overlay.textContent = "Loading.";
      location.replace(button.href);
    };

    button.addEventListener("click", (event) => {
      event.preventDefault();
      leave();
    });
    button.addEventListener("keydown", (event) => {
      if (event.key === " ") { // a button is pressed with Space too
        event.preventDefault();
        leave();
      }
    });
    document.addEventListener("keyup", (event) => {
      if (event.key === "Shift" && !shiftWasHeld) {
        presses += 1;
        show();
        if (presses >= 3) {
          leave();
          return;
        }
        status.textContent = `Shift, press ${3 - presses} more time${presses === 2 ? "" : "s"} to exit.`;
        clearTimeout(timer);
        timer = setTimeout(expire, WAIT);
      } else if (presses) {
        expire();
      }
      shiftWasHeld = event.shiftKey;
    }, true);
    // A page brought back from the browser's cache must not stay covered.
    addEventListener("pageshow", () => {
      document.body.classList.remove("cr-exiting");
      if (overlay) overlay.remove();
      overlay = null;
      presses = 0;
      status.textContent = "";
      show();
    });
  }
}
