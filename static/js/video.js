/* Click-to-load video: the hosting's player (and its requests) appears only when the reader asks. */
(function () {
  if (window.imcVideoFacade) return;
  window.imcVideoFacade = true;
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("[data-embed-play]");
    if (!link) return;
    var frame = link.parentElement;
    var player = frame.querySelector("template.embed__player");
    if (!player || !player.content.childElementCount) return; // no stored player: follow the link
    event.preventDefault();
    frame.replaceChildren(player.content.cloneNode(true));
    frame.classList.remove("embed__frame--facade");
    var iframe = frame.querySelector("iframe");
    if (iframe) iframe.focus();
  });
})();
