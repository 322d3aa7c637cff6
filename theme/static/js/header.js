/* Low-vision mode: apply the reader's saved choice before the first paint, then wire the header buttons.
   Loaded from <head> without defer so that <html> has its classes before anything is drawn. */
(function () {
  "use strict";
  var root = document.documentElement;
  // Each switch is a class on <html>, remembered in localStorage across pages and visits.
  var stored = { "low-vision": "almaty.lowVision", "no-images": "almaty.noImages" };

  function saved(name) {
    try {
      return window.localStorage.getItem(stored[name]) === "1";
    } catch (error) {
      return false; // storage switched off: the mode still works on this page
    }
  }

  function remember(name, on) {
    try {
      if (on) {
        window.localStorage.setItem(stored[name], "1");
      } else {
        window.localStorage.removeItem(stored[name]);
      }
    } catch (error) {
      /* nothing to remember with */
    }
  }

  root.classList.add("js");
  Object.keys(stored).forEach(function (name) {
    root.classList.toggle(name, saved(name));
  });

  document.addEventListener("DOMContentLoaded", function () {
    var buttons = document.querySelectorAll("button[data-toggle]");
    Array.prototype.forEach.call(buttons, function (button) {
      button.addEventListener("click", function () {
        var name = button.getAttribute("data-toggle");
        var on = root.classList.toggle(name);
        remember(name, on);
      });
    });
  });
})();
