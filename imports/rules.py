"""Who may import: safety fellows and regional leads (into their regions, which the forms
say), and the national team (any region)."""

import rules

from accounts.rules import is_fellow, is_national_team, is_regional_lead

rules.add_perm("imports.import", is_fellow | is_regional_lead | is_national_team)
