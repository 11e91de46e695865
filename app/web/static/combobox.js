/* A searchable multi-select (ARIA 1.2 combobox with a listbox popup, and removable chips) over
   a <select multiple data-combobox>: the select stays in the form, hidden, and holds the
   choice, so the page works the same without JavaScript. Type to filter (accents and case
   ignored), arrows to move, Enter or a tap to add, Escape to close; each chip is a button
   that removes its choice. The words come from the select's data- attributes (translated by
   the page). Loaded from this origin: the Content Security Policy allows no inline script. */
(function () {
  "use strict";
  var MAX_SHOWN = 60;

  function fold(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }

  function enhance(select) {
    var id = select.id;
    var label = document.querySelector('label[for="' + id + '"]');
    var box = document.createElement("div");
    box.className = "combobox";
    var chips = document.createElement("ul");
    chips.className = "chips";
    chips.setAttribute("aria-label", select.dataset.chosenLabel || "");
    var input = document.createElement("input");
    input.type = "text";
    input.id = id + "-search";
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", id + "-listbox");
    input.setAttribute("autocomplete", "off");
    if (select.getAttribute("aria-describedby")) {
      input.setAttribute("aria-describedby", select.getAttribute("aria-describedby"));
    }
    var list = document.createElement("ul");
    list.id = id + "-listbox";
    list.setAttribute("role", "listbox");
    list.hidden = true;
    var status = document.createElement("p");
    status.className = "visually-hidden";
    status.setAttribute("role", "status");
    box.append(chips, input, list, status);
    select.after(box);
    select.hidden = true;
    select.tabIndex = -1;
    if (label) { label.htmlFor = input.id; }
    var hint = select.dataset.hint && document.getElementById(select.dataset.hint);
    if (hint) { hint.textContent = select.dataset.hintText || hint.textContent; }

    var options = Array.prototype.slice.call(select.options);
    var shown = [];
    var active = -1;

    function say(template, option) {
      status.textContent = template.replace("%(name)s", option.text);
    }

    function renderChips() {
      chips.replaceChildren();
      options.filter(function (o) { return o.selected; }).forEach(function (option) {
        var item = document.createElement("li");
        var button = document.createElement("button");
        button.type = "button";
        button.className = "chip";
        button.textContent = option.text;
        button.setAttribute("aria-label", (select.dataset.removeLabel || "%(name)s").replace("%(name)s", option.text));
        button.addEventListener("click", function () {
          option.selected = false;
          say(select.dataset.removed || "%(name)s", option);
          renderChips();
          input.focus();
        });
        item.append(button);
        chips.append(item);
      });
    }

    function close() {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }

    function highlight(index) {
      shown.forEach(function (item, i) { item.setAttribute("aria-selected", i === index ? "true" : "false"); });
      active = index;
      if (index >= 0) {
        input.setAttribute("aria-activedescendant", shown[index].id);
        shown[index].scrollIntoView({ block: "nearest" });
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }

    function choose(option) {
      option.selected = true;
      say(select.dataset.added || "%(name)s", option);
      input.value = "";
      close();
      renderChips();
      input.focus();
    }

    function open() {
      var wanted = fold(input.value.trim());
      list.replaceChildren();
      shown = [];
      options.forEach(function (option) {
        if (option.selected || shown.length >= MAX_SHOWN) { return; }
        if (wanted && fold(option.text).indexOf(wanted) === -1 && fold(option.value) !== wanted) { return; }
        var item = document.createElement("li");
        item.id = id + "-option-" + option.value;
        item.setAttribute("role", "option");
        item.setAttribute("aria-selected", "false");
        item.textContent = option.text;
        item.addEventListener("mousedown", function (event) { event.preventDefault(); });
        item.addEventListener("click", function () { choose(option); });
        list.append(item);
        shown.push(item);
      });
      if (!shown.length) {
        var none = document.createElement("li");
        none.className = "none";
        none.setAttribute("aria-disabled", "true");
        none.textContent = select.dataset.noneLabel || "";
        list.append(none);
      }
      list.hidden = false;
      input.setAttribute("aria-expanded", "true");
      highlight(shown.length && wanted ? 0 : -1);
    }

    input.addEventListener("input", open);
    input.addEventListener("focus", function () { if (input.value) { open(); } });
    input.addEventListener("blur", close);
    input.addEventListener("keydown", function (event) {
      if (event.key === "ArrowDown") {
        event.preventDefault();
        if (list.hidden) { open(); }
        highlight(Math.min(active + 1, shown.length - 1));
      } else if (event.key === "ArrowUp") {
        event.preventDefault();
        highlight(Math.max(active - 1, 0));
      } else if (event.key === "Enter") {
        if (!list.hidden && active >= 0) {
          event.preventDefault();  // choose, do not submit the form
          var option = options.filter(function (o) { return id + "-option-" + o.value === shown[active].id; })[0];
          if (option) { choose(option); }
        }
      } else if (event.key === "Escape") {
        close();
      } else if (event.key === "Backspace" && !input.value) {
        var last = options.filter(function (o) { return o.selected; }).pop();
        if (last) { last.selected = false; say(select.dataset.removed || "%(name)s", last); renderChips(); }
      }
    });
    renderChips();
  }

  function start() {
    document.querySelectorAll("select[multiple][data-combobox]").forEach(enhance);
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
