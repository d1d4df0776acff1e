// The print page's one button: the browser's own print dialog (also "save as PDF").
(function () {
  "use strict";
  var button = document.getElementById("printen");
  if (button) { button.addEventListener("click", function () { window.print(); }); }
})();
