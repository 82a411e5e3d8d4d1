// Layout on every page: the menu button that folds the navigation on narrow screens, forms
// that start folded on a phone (data-fold-narrow), and wide regions that scroll inside their
// card: they become focusable (keyboard scrolling) and show a cue while there is more to see.
const narrow = globalThis.matchMedia("(max-width: 760px)");

function setUpMenu() {
  const button = document.getElementById("menu-toggle");
  const nav = document.getElementById("site-nav");
  if (!button || !nav) return;
  button.closest(".topbar")?.classList.add("collapsible");
  button.hidden = false;
  const show = (open) => {
    nav.classList.toggle("open", open);
    button.setAttribute("aria-expanded", String(open));
  };
  button.addEventListener("click", () => show(!nav.classList.contains("open")));
  document.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && nav.classList.contains("open")) {
      show(false);
      button.focus();
    }
  });
}

function foldOnPhones() {
  if (!narrow.matches) return;
  for (const details of document.querySelectorAll("details[data-fold-narrow]")) {
    if (!details.dataset.keepOpen) details.open = false;
  }
}

function watchScrolling(region) {
  const update = () => {
    const scrolls = region.scrollWidth > region.clientWidth + 1
      || region.scrollHeight > region.clientHeight + 1;
    region.classList.toggle("scrolls", scrolls);
    const atEnd = region.scrollLeft + region.clientWidth >= region.scrollWidth - 1;
    region.classList.toggle("scrolled-to-end", atEnd);
    if (scrolls) region.tabIndex = 0;
    else if (!region.hasAttribute("data-always-focusable")) region.removeAttribute("tabindex");
  };
  update();
  region.addEventListener("scroll", update, { passive: true });
  if (globalThis.ResizeObserver) new ResizeObserver(update).observe(region);
  if (globalThis.MutationObserver) {
    new MutationObserver(update).observe(region, { childList: true, subtree: true });
  }
}

setUpMenu();
foldOnPhones();
for (const region of document.querySelectorAll(".table-wrap, [data-scroll-region]")) {
  watchScrolling(region);
}
