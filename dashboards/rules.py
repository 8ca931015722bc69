"""Who sees which dashboard. A region's figures are counts, so anyone working in the region
sees its dashboard; its records open only within their own scope."""

import rules

from accounts.rules import has_a_working_role, is_national_team

rules.add_perm("dashboards.view", has_a_working_role)
rules.add_perm("dashboards.view_national", is_national_team)
