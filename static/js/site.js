/* Small enhancements; every page works without this file. */
(function () {
  "use strict";

  /* Click-to-load video: nothing from YouTube, Vimeo or TikTok loads before the click.
     Without JavaScript the link opens the video on the external site. */
  function loadVideo(event) {
    var link = event.target.closest(".video-play");
    if (!link) return;
    var box = link.closest("[data-embed]");
    if (!box) return;
    var url = box.getAttribute("data-embed");
    if (!/^https:\/\/(www\.youtube-nocookie\.com|player\.vimeo\.com|www\.tiktok\.com)\//.test(url)) return;
    event.preventDefault();
    var frame = document.createElement("iframe");
    frame.src = url;
    frame.title = box.getAttribute("data-title") || "Video";
    frame.allow = "autoplay; encrypted-media; picture-in-picture; fullscreen";
    frame.setAttribute("referrerpolicy", "strict-origin-when-cross-origin");
    frame.className = "video-iframe";
    box.replaceChildren(frame);
    box.classList.add("is-playing");
    frame.focus();
  }
  document.addEventListener("click", loadVideo);

  /* Audience tabs on a storyline page: without JavaScript every tab is a link that
     reloads the page with ?voor=…; with it they switch in place as ARIA tabs. */
  function enhanceTabs(list) {
    var tabs = Array.prototype.slice.call(list.querySelectorAll("a[data-panel]"));
    var panels = tabs.map(function (tab) { return document.getElementById(tab.getAttribute("data-panel")); });
    if (tabs.length < 2 || panels.indexOf(null) !== -1) return;
    list.setAttribute("role", "tablist");
    function select(index, focus) {
      tabs.forEach(function (tab, i) {
        var on = i === index;
        tab.setAttribute("aria-selected", on ? "true" : "false");
        tab.setAttribute("tabindex", on ? "0" : "-1");
        panels[i].hidden = !on;
      });
      if (focus) tabs[index].focus();
      var voor = tabs[index].getAttribute("data-voor");
      var url = new URL(window.location.href);
      if (index === 0) { url.searchParams.delete("voor"); } else { url.searchParams.set("voor", voor); }
      window.history.replaceState(null, "", url.pathname + url.search + "#boodschap");
    }
    var current = 0;
    tabs.forEach(function (tab, i) {
      tab.parentElement.setAttribute("role", "presentation");
      // As ARIA tabs, aria-selected tells which one is chosen.
      tab.removeAttribute("aria-current");
      tab.setAttribute("role", "tab");
      tab.setAttribute("aria-controls", panels[i].id);
      panels[i].setAttribute("role", "tabpanel");
      panels[i].setAttribute("aria-labelledby", tab.id);
      panels[i].setAttribute("tabindex", "0");
      if (!panels[i].hidden) current = i;
      tab.addEventListener("click", function (event) { event.preventDefault(); select(i, false); });
      tab.addEventListener("keydown", function (event) {
        var next = null;
        if (event.key === "ArrowRight" || event.key === "ArrowDown") next = (i + 1) % tabs.length;
        if (event.key === "ArrowLeft" || event.key === "ArrowUp") next = (i - 1 + tabs.length) % tabs.length;
        if (event.key === "Home") next = 0;
        if (event.key === "End") next = tabs.length - 1;
        if (next !== null) { event.preventDefault(); select(next, true); }
      });
    });
    tabs.forEach(function (tab, i) {
      tab.setAttribute("aria-selected", i === current ? "true" : "false");
      tab.setAttribute("tabindex", i === current ? "0" : "-1");
    });
  }
  Array.prototype.forEach.call(document.querySelectorAll("[data-tabs]"), enhanceTabs);

  /* The phone menu is a <details>: Escape closes it and returns focus to its button. */
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") return;
    var menu = document.querySelector(".nav-menu[open]");
    if (!menu) return;
    menu.open = false;
    menu.querySelector("summary").focus();
  });
})();
