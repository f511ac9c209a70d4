/**
 * Loads Pagefind's Component UI on first use and opens its modal. Nothing of Pagefind (script,
 * styles or index) is requested before this runs.
 */
const BUNDLE = "/pagefind/";

type PagefindModal = HTMLElement & { open(): void; readonly isOpen: boolean };
/** The part of the Component UI's global this script uses. */
type PagefindComponents = { getInstanceManager(): { getInstance(name: string): { setTranslations(strings: Record<string, string>): void } } };

let loading: Promise<void> | undefined;

function loadStylesheet(href: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const link = Object.assign(document.createElement("link"), { rel: "stylesheet", href });
    link.addEventListener("load", () => resolve());
    link.addEventListener("error", () => reject(new Error(`could not load ${href}`)));
    document.head.append(link);
  });
}

/**
 * Pagefind names each filter's option list by its trigger button, but a combobox lends a name only
 * its value (none here), so the list would have no name: point it at our label for that filter
 * instead (SiteSearch.astro), whenever Pagefind renders the list.
 */
function nameFilterLists(host: HTMLElement): void {
  const apply = () => {
    for (const list of host.querySelectorAll<HTMLElement>('pagefind-filter-dropdown [role="listbox"]')) {
      const label = host.querySelector<HTMLLabelElement>(`label[for="${list.getAttribute("aria-labelledby")}"]`);
      if (label?.id) list.setAttribute("aria-labelledby", label.id);
    }
  };
  apply();
  new MutationObserver(apply).observe(host, { childList: true, subtree: true });
}

function loadUi(host: HTMLElement): Promise<void> {
  loading ??= (async () => {
    const template = host.querySelector("template");
    if (!template) throw new Error("site-search needs its <template>");
    await Promise.all([loadStylesheet(`${BUNDLE}pagefind-component-ui.css`), import(/* @vite-ignore */ `${BUNDLE}pagefind-component-ui.js`)]);
    // Our own wording for the result counts (SiteSearch.astro says why), set before any component reads it.
    const components = (window as unknown as { PagefindComponents?: PagefindComponents }).PagefindComponents;
    components?.getInstanceManager().getInstance("default").setTranslations(JSON.parse(host.dataset.pagefindStrings ?? "{}"));
    host.append(template.content.cloneNode(true));
    nameFilterLists(host);
    await customElements.whenDefined("pagefind-modal");
    // Give focus back to the search button when the dialog closes, so keyboard users keep their place.
    host.querySelector("pagefind-modal")?.addEventListener("close", () => host.querySelector("button")?.focus(), true);
  })();
  return loading;
}

export async function openSearch(host: HTMLElement): Promise<void> {
  try {
    await loadUi(host);
    const modal = host.querySelector<PagefindModal>("pagefind-modal");
    // The modal renders its <dialog> when connected; wait a frame in case that has not happened yet.
    if (!modal?.querySelector("dialog")) await new Promise(requestAnimationFrame);
    const dialog = modal?.querySelector("dialog");
    // Reopened at once after closing: the modal learns it is closed only from the dialog's "close"
    // event, which comes a moment later, and until then it ignores open().
    if (modal?.isOpen && dialog && !dialog.open) await new Promise((resolve) => dialog.addEventListener("close", resolve, { once: true }));
    modal?.open();
  } catch {
    loading = undefined;
    host.querySelector<HTMLElement>(".site-search__error")?.removeAttribute("hidden");
  }
}
