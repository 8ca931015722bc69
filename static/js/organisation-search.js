// Organisation boxes (regions/forms.py OrganisationChoice) become an autocomplete that asks
// the portal as the person types. Without this script the box still works: the form comes
// back with the organisations that match, to choose one.
const vendor = new URL("../vendor/accessible-autocomplete/", import.meta.url);

function load(tag, attributes) {
  return new Promise((resolve, reject) => {
    const element = Object.assign(document.createElement(tag), attributes);
    element.onload = resolve;
    element.onerror = reject;
    document.head.appendChild(element);
  });
}

function enhance(input) {
  const source = input.dataset.organisationSearch;
  let pending;
  const search = (query, populate) => {
    if (pending) pending.abort();
    pending = new AbortController();
    fetch(`${source}?q=${encodeURIComponent(query)}`, {
      signal: pending.signal,
      headers: { Accept: "application/json" },
    })
      .then((response) => (response.ok ? response.json() : { results: [] }))
      .then((data) => populate(data.results))
      .catch(() => {});
  };
  const container = document.createElement("div");
  input.after(container);
  const describedBy = input.getAttribute("aria-describedby");
  const hasError = input.classList.contains("nhsuk-input--error");
  input.remove();
  window.accessibleAutocomplete({
    element: container,
    id: input.id,
    name: input.name,
    defaultValue: input.value,
    source: search,
    minLength: 2,
    confirmOnBlur: false,
    displayMenu: "overlay",
    inputClasses: hasError ? "nhsuk-input nhsuk-input--error" : "nhsuk-input",
    tNoResults: () => "No organisation matches",
    tStatusQueryTooShort: (length) => `Type ${length} or more characters to search`,
  });
  const created = container.querySelector("input");
  if (describedBy && created) {
    const own = created.getAttribute("aria-describedby");
    created.setAttribute("aria-describedby", [own, describedBy].filter(Boolean).join(" "));
  }
}

export async function enhanceOrganisationSearch() {
  const inputs = document.querySelectorAll("input[data-organisation-search]");
  if (!inputs.length) return;
  try {
    await Promise.all([
      load("link", { rel: "stylesheet", href: new URL("accessible-autocomplete.min.css", vendor) }),
      load("script", { src: new URL("accessible-autocomplete.min.js", vendor) }),
    ]);
  } catch {
    return; // the plain box and its search step still work
  }
  inputs.forEach(enhance);
}
