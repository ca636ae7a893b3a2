// Starts GOV.UK Frontend and MOJ Frontend components (data-module attributes).
// The library URLs come from the script tag, so they are the same (hashed) URLs base.html loads
// and each library is evaluated once.
const script = document.querySelector('script[data-govuk-frontend]')

document.body.classList.add('js-enabled')
if ('noModule' in HTMLScriptElement.prototype) {
  document.body.classList.add('govuk-frontend-supported')
}

const [govuk, moj] = await Promise.all([
  import(script.dataset.govukFrontend),
  import(script.dataset.mojFrontend)
])

function start (scope) {
  govuk.initAll({ scope })
  moj.initAll(scope)
  // MOJ leaves the filter's show/hide button out of initAll: it needs the filter layout.
  govuk.createAll(moj.FilterToggleButton, undefined, scope)
}

start(document)

// Content swapped in by htmx gets its components started too.
document.body.addEventListener('htmx:afterSettle', (event) => {
  if (event.detail.elt instanceof Element) start(event.detail.elt)
})
