// GOV.UK Frontend's body classes, from a file so the page needs no inline script (CSP).
document.body.className += " js-enabled" +
  ("noModule" in HTMLScriptElement.prototype ? " govuk-frontend-supported" : "");
