// Progressive enhancement only: every page works without JavaScript.
import { initAll } from "../vendor/nhsuk/nhsuk-frontend.min.js";
import { enhanceOrganisationSearch } from "./organisation-search.js";

initAll();
enhanceOrganisationSearch();
