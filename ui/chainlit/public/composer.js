// One Enter sends a slash command.
//
// Chainlit's composer (2.12, MessageComposer/Input.tsx) opens its "/" menu while the text is one word that begins
// with "/", and an Enter while the menu is open only *picks* the highlighted command: it becomes a chip above an
// empty text field, and a second Enter sends it. A person who typed "/status" and pressed Enter saw nothing happen.
//
// Here, an Enter in the composer while the menu is open sends the highlighted command at once when it needs no
// argument (its usage, the part of the item's description before " — ", has nothing outside [brackets]): the
// text becomes "/status" and the composer's own send button sends it (the studio reads "/status" as the command).
// A command that needs an argument ("/take CODE N") is still picked as a chip, so that the person types the
// argument; then one Enter sends the lot. ui/web/presentation.py `commands()` writes the descriptions read here.
(function () {
  "use strict";

  function highlighted(typed) {
    // The menu item the Enter would pick: the highlighted one, else the one named exactly as typed.
    var items = Array.prototype.slice.call(document.querySelectorAll(".command-item"));
    if (items.length === 0) {
      return null;
    }
    var exact = null;
    var marked = null;
    items.forEach(function (item) {
      var name = item.querySelector(".font-medium");
      if (name && name.textContent.trim().toLowerCase() === typed) {
        exact = item;
      }
      if (item.classList.contains("bg-accent")) {
        marked = item;
      }
    });
    return marked || exact || items[0];
  }

  function needsArgument(item) {
    var description = item.querySelector(".text-sm.text-muted-foreground");
    var usage = description ? description.textContent.split(" \u2014 ")[0] : "";
    var rest = usage.replace(/\[[^\]]*\]/g, " ").trim().split(/\s+/).slice(1);
    return rest.filter(function (word) { return word.length > 0; }).length > 0;
  }

  function setText(input, text) {
    // Through the element's own value setter and an input event, so that React's state follows.
    var setter = Object.getOwnPropertyDescriptor(window.HTMLTextAreaElement.prototype, "value").set;
    setter.call(input, text);
    input.dispatchEvent(new Event("input", { bubbles: true }));
  }

  function onKey(event) {
    var input = event.target;
    if (event.key !== "Enter" || event.shiftKey || event.isComposing || !input || input.id !== "chat-input") {
      return;
    }
    var typed = input.value.trim();
    if (!/^\/[\w-]*$/.test(typed)) {
      return;
    }
    var item = highlighted(typed.slice(1).toLowerCase());
    if (item === null || needsArgument(item)) {
      return; // the composer picks it as a chip; the argument follows, then one Enter
    }
    var name = item.querySelector(".font-medium").textContent.trim();
    event.preventDefault();
    event.stopImmediatePropagation();
    if (typed !== "/" + name) {
      setText(input, "/" + name);
    }
    window.setTimeout(function () {
      var send = document.getElementById("chat-submit");
      if (send && !send.disabled) {
        send.click();
      }
    }, 0);
  }

  window.addEventListener("keydown", onKey, true);
  window.auteurOneEnter = true; // what the browser test checks: this script is on the page
})();
