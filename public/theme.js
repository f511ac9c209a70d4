/*
 * The colour theme: the visitor's choice of the theme switch (ThemeSwitch.astro), remembered in
 * localStorage, is set as data-theme on <html> ("light", "dark", or "system" to follow the system
 * setting; global.css reads it). Loaded as a blocking script in <head> so the page never paints in
 * the other scheme first. Without JavaScript data-theme stays unset: the system setting applies and
 * the switch stays hidden.
 */
(function () {
  var KEY = "theme";
  var root = document.documentElement;

  function stored() {
    try {
      var value = localStorage.getItem(KEY);
      return value === "light" || value === "dark" ? value : "system";
    } catch (error) {
      return "system"; // storage blocked: follow the system
    }
  }

  function showChoice() {
    var switches = document.querySelectorAll("select[data-theme-switch]");
    for (var i = 0; i < switches.length; i++) switches[i].value = root.dataset.theme;
  }

  root.dataset.theme = stored();
  document.addEventListener("DOMContentLoaded", showChoice);
  // The page may come back from the back/forward cache, or another tab may have changed the theme.
  window.addEventListener("pageshow", function () { root.dataset.theme = stored(); showChoice(); });
  window.addEventListener("storage", function (event) {
    if (event.key !== KEY && event.key !== null) return;
    root.dataset.theme = stored();
    showChoice();
  });
  document.addEventListener("change", function (event) {
    var select = event.target;
    if (!(select instanceof HTMLSelectElement) || !select.hasAttribute("data-theme-switch")) return;
    root.dataset.theme = select.value;
    try {
      if (select.value === "system") localStorage.removeItem(KEY);
      else localStorage.setItem(KEY, select.value);
    } catch (error) {
      // Not remembered (storage blocked): the choice holds for this page.
    }
    showChoice();
  });
})();
