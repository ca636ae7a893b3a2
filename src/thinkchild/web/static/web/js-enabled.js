// Runs first in <body>, before anything is painted, so components that change with JavaScript do
// not jump after load. GOV.UK Frontend's template does this inline; our CSP forbids inline script.
document.body.classList.add('js-enabled')
if ('noModule' in HTMLScriptElement.prototype) {
  document.body.classList.add('govuk-frontend-supported')
}
