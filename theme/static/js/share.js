/* Share: a copy-link button, and the phone's own share sheet where the browser offers one.
   Without JavaScript the buttons stay hidden and the plain links to the services still work. */
(function () {
  "use strict";

  function copyWithoutClipboardApi(text) {
    // Pages served over plain HTTP (previews on a LAN) have no navigator.clipboard.
    var field = document.createElement("textarea");
    field.value = text;
    field.setAttribute("readonly", "");
    field.className = "visually-hidden";
    document.body.appendChild(field);
    field.select();
    var copied = false;
    try {
      copied = document.execCommand("copy");
    } catch (error) {
      copied = false;
    }
    document.body.removeChild(field);
    return copied ? Promise.resolve() : Promise.reject(new Error("copy refused"));
  }

  function copy(text) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(text).catch(function () {
        return copyWithoutClipboardApi(text);
      });
    }
    return copyWithoutClipboardApi(text);
  }

  function wire(actions) {
    var url = actions.getAttribute("data-share-url");
    var title = actions.getAttribute("data-share-title");
    var status = actions.querySelector(".share__status");
    var copyButton = actions.querySelector("[data-share-copy]");
    var nativeButton = actions.querySelector("[data-share-native]");

    copyButton.addEventListener("click", function () {
      copy(url).then(function () {
        status.textContent = actions.getAttribute("data-copied");
      }, function () {
        // Nothing copied: show the address selected, for the reader to copy by hand.
        status.textContent = url;
      });
    });
    if (typeof navigator.share === "function") {
      nativeButton.hidden = false;
      nativeButton.addEventListener("click", function () {
        navigator.share({ title: title, url: url }).catch(function () {
          /* the reader closed the sheet */
        });
      });
    }
    actions.hidden = false;
  }

  Array.prototype.forEach.call(document.querySelectorAll(".share__actions"), wire);
})();
