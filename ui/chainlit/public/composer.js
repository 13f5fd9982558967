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
//
// Only a command the person named in full, the one command whose name begins with what they typed ("/vari" is
// /variants), or one they chose in the menu with the arrow keys, is taken from the menu. A word the menu only
// matches inside a name is sent as typed: "/list" is not "/shotlist", and the studio answers that there is no /list
// rather than running something else.
(function () {
  "use strict";

  var navigated = false; // the person moved through the menu with the arrow keys since they last typed

  function chosen(typed) {
    // The menu item the person means: the one named exactly as typed, else the one they moved to with the arrow
    // keys; null when the menu is closed or only a command that begins like the word is highlighted.
    var items = Array.prototype.slice.call(document.querySelectorAll(".command-item"));
    if (items.length === 0) {
      return null;
    }
    var exact = null;
    var marked = null;
    var begun = [];
    items.forEach(function (item) {
      var name = item.querySelector(".font-medium");
      var text = name ? name.textContent.trim().toLowerCase() : "";
      if (text === typed) {
        exact = item;
      } else if (text && typed && text.indexOf(typed) === 0) {
        begun.push(item);
      }
      if (item.classList.contains("bg-accent")) {
        marked = item;
      }
    });
    return exact || (navigated ? marked : null) || (begun.length === 1 ? begun[0] : null);
  }

  function menuOpen() {
    return document.querySelectorAll(".command-item").length > 0;
  }

  function send() {
    window.setTimeout(function () {
      var button = document.getElementById("chat-submit");
      if (button && !button.disabled) {
        button.click();
      }
    }, 0);
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
    if (!input || input.id !== "chat-input") {
      return;
    }
    if (event.key === "ArrowUp" || event.key === "ArrowDown") {
      navigated = true;
      return;
    }
    if (event.key !== "Enter" || event.shiftKey || event.isComposing) {
      return;
    }
    var typed = input.value.trim();
    if (!/^\/[\w-]+$/.test(typed) || !menuOpen()) {
      return;
    }
    var item = chosen(typed.slice(1).toLowerCase());
    if (item !== null && needsArgument(item)) {
      navigated = false;
      return; // the composer picks it as a chip; the argument follows, then one Enter
    }
    event.preventDefault();
    event.stopImmediatePropagation();
    if (item === null) {
      send(); // only a look-alike is highlighted: the word goes as typed (the studio says there is no such command)
      return;
    }
    var name = item.querySelector(".font-medium").textContent.trim();
    if (typed !== "/" + name) {
      setText(input, "/" + name);
    }
    navigated = false;
    send();
  }

  function onInput(event) {
    if (event.target && event.target.id === "chat-input" && event.isTrusted) {
      navigated = false; // typing again: the menu's highlight is the composer's guess, not the person's choice
    }
  }

  window.addEventListener("keydown", onKey, true);
  window.addEventListener("input", onInput, true);
  window.auteurOneEnter = true; // what the browser test checks: this script is on the page
})();
