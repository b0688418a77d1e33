/* Petitions: a "Copy the link" button next to the petition's address. Without
   JavaScript the address stays a read-only field to select and copy by hand. */
(function () {
  "use strict";
  var input = document.getElementById("petition-link");
  if (!input || !navigator.clipboard) return;
  var button = document.createElement("button");
  button.type = "button";
  button.className = "pt-copy";
  button.textContent = input.dataset.copy;
  var status = document.createElement("span");
  status.className = "pt-copy-status";
  status.setAttribute("role", "status");
  input.insertAdjacentElement("afterend", status);
  input.insertAdjacentElement("afterend", button);
  button.addEventListener("click", function () {
    navigator.clipboard.writeText(input.value).then(function () {
      status.textContent = input.dataset.copied;
    }, function () {
      input.select();
    });
  });
})();
