/* The header's choices, kept in the browser (localStorage) and never sent anywhere: the low-vision
   mode and hidden pictures, applied before the first paint so the page does not jump; the language
   chosen with the switch, which the site root (/) then opens; and the menu button on phones.
   Loaded from <head> without defer so that <html> has its classes before anything is drawn. */
(function () {
  "use strict";
  var root = document.documentElement;
  // Each switch is a class on <html>, remembered across pages and visits.
  var stored = { "low-vision": "almaty.lowVision", "no-images": "almaty.noImages" };
  var LANGUAGE = "almaty.language";

  function read(key) {
    try {
      return window.localStorage.getItem(key);
    } catch (error) {
      return null; // storage switched off: every choice still works on this page
    }
  }

  function write(key, value) {
    try {
      if (value) {
        window.localStorage.setItem(key, value);
      } else {
        window.localStorage.removeItem(key);
      }
    } catch (error) {
      /* nothing to remember with */
    }
  }

  // The site root lists the languages as <link rel="alternate" hreflang>: open the one chosen last.
  if (root.hasAttribute("data-language-choice")) {
    var chosen = read(LANGUAGE);
    var home = chosen && document.querySelector('link[rel="alternate"][hreflang="' + chosen + '"]');
    var fallback = document.querySelector('link[rel="alternate"][hreflang="x-default"]');
    window.location.replace((home || fallback).href);
    return;
  }

  root.classList.add("js");
  Object.keys(stored).forEach(function (name) {
    root.classList.toggle(name, read(stored[name]) === "1");
  });

  document.addEventListener("DOMContentLoaded", function () {
    var buttons = document.querySelectorAll("button[data-toggle]");
    Array.prototype.forEach.call(buttons, function (button) {
      button.addEventListener("click", function () {
        var name = button.getAttribute("data-toggle");
        write(stored[name], root.classList.toggle(name) ? "1" : null);
      });
    });

    var switches = document.querySelectorAll(".language-switch a[hreflang]");
    Array.prototype.forEach.call(switches, function (link) {
      link.addEventListener("click", function () {
        write(LANGUAGE, link.getAttribute("hreflang"));
      });
    });

    var menu = document.querySelector("button[aria-controls='site-nav']");
    if (menu) {
      menu.addEventListener("click", function () {
        var open = menu.getAttribute("aria-expanded") !== "true";
        menu.setAttribute("aria-expanded", String(open));
        root.classList.toggle("menu-open", open);
      });
    }
  });
})();
