/* Gallery viewer: a thumbnail of a gallery opens its picture in the page's <dialog class="viewer">, with
   its alt text and credit, "Фото 3 из 12" announced; arrows, swipe and Escape; focus goes back to the
   thumbnail. Loaded only on pages with a gallery (theme/templates/partials/gallery_viewer.html); without
   this script each thumbnail is a plain link to the large picture. */
(function () {
  "use strict";
  var SWIPE = 50; // px of horizontal travel that turns a touch into a swipe

  function start() {
    var viewer = document.querySelector("dialog.viewer");
    if (!viewer || typeof viewer.showModal !== "function") {
      return; // a browser without <dialog>: the links open the pictures themselves
    }
    var figure = viewer.querySelector(".viewer__figure");
    var image = document.createElement("img");
    image.className = "viewer__image";
    image.alt = "";
    figure.insertBefore(image, figure.firstChild);
    var count = viewer.querySelector(".viewer__count");
    var altText = viewer.querySelector(".viewer__alt");
    var creditText = viewer.querySelector(".viewer__credit");
    var items = [];
    var index = 0;
    var opener = null;

    function creditOf(link) {
      var own = link.parentNode.querySelector(".credit");
      var shared = link.closest(".gallery").querySelector(":scope > figcaption.credit");
      return (own || shared || { textContent: "" }).textContent.trim();
    }

    function show(next) {
      index = (next + items.length) % items.length;
      var link = items[index];
      var thumbnail = link.querySelector("img");
      var better = link.querySelector("source[type='image/webp']");
      image.removeAttribute("srcset");
      image.sizes = "100vw";
      image.srcset = (better || thumbnail).getAttribute("srcset") || "";
      image.src = link.href;
      image.setAttribute("width", thumbnail.getAttribute("width"));
      image.setAttribute("height", thumbnail.getAttribute("height"));
      image.alt = thumbnail.alt;
      altText.textContent = thumbnail.alt;
      creditText.textContent = creditOf(link);
      var words = viewer.querySelector(
        ".viewer__counts [data-count='" + items.length + "'][data-number='" + (index + 1) + "']"
      );
      count.textContent = words ? words.textContent : "";
    }

    function open(link) {
      items = Array.prototype.slice.call(link.closest(".gallery").querySelectorAll("a.gallery__link"));
      opener = link;
      viewer.classList.toggle("viewer--single", items.length < 2);
      viewer.showModal();
      document.documentElement.classList.add("viewer-open");
      viewer.querySelector(".viewer__close").focus();
      show(items.indexOf(link));
    }

    viewer.addEventListener("close", function () {
      document.documentElement.classList.remove("viewer-open");
      image.removeAttribute("srcset");
      image.removeAttribute("src");
      if (opener) {
        opener.focus();
        opener = null;
      }
    });

    document.addEventListener("click", function (event) {
      var link = event.target.closest && event.target.closest(".gallery a.gallery__link");
      if (!link || event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey || event.altKey) {
        return; // a new tab or window: the large picture itself
      }
      event.preventDefault();
      open(link);
    });

    viewer.querySelector(".viewer__previous").addEventListener("click", function () {
      show(index - 1);
    });
    viewer.querySelector(".viewer__next").addEventListener("click", function () {
      show(index + 1);
    });
    viewer.querySelector(".viewer__close").addEventListener("click", function () {
      viewer.close();
    });
    // A click on the dimmed backdrop (the dialog itself, outside its content) closes it.
    viewer.addEventListener("click", function (event) {
      if (event.target === viewer) {
        viewer.close();
      }
    });
    viewer.addEventListener("keydown", function (event) {
      if (event.key === "ArrowLeft") {
        show(index - 1);
      } else if (event.key === "ArrowRight") {
        show(index + 1);
      } else {
        return;
      }
      event.preventDefault();
    });

    var touchX = null;
    viewer.addEventListener("touchstart", function (event) {
      touchX = event.touches.length === 1 ? event.touches[0].clientX : null;
    }, { passive: true });
    viewer.addEventListener("touchend", function (event) {
      if (touchX === null) {
        return;
      }
      var travel = event.changedTouches[0].clientX - touchX;
      touchX = null;
      if (Math.abs(travel) >= SWIPE) {
        show(travel < 0 ? index + 1 : index - 1);
      }
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
