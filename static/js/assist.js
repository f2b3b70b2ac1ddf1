/* Observatorio — the report form's "Elegir" buttons of the suggested objectives set the
   objective's pick-list; nothing else. Served from the site (the Content-Security-Policy's
   script-src 'self'); without JavaScript the reporter picks from the list as always. */
document.addEventListener("click", function (event) {
  var button = event.target.closest("[data-use-objective]");
  if (!button) return;
  var select = document.getElementById("id_objective");
  if (!select) return;
  select.value = button.getAttribute("data-use-objective");
  select.dispatchEvent(new Event("change", { bubbles: true }));
  select.focus();
});
