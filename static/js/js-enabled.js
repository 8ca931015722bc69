// Run first, before the page paints: the design system's styles for pages with JavaScript
// key off these classes. A file of its own because the Content Security Policy refuses
// inline scripts.
document.body.className +=
  " js-enabled" +
  ("noModule" in HTMLScriptElement.prototype ? " nhsuk-frontend-supported" : "");
