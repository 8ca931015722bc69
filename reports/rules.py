"""Who may ask for quarterly reports: the national team, regional leads and PSC chairs. Which
scopes each may ask for is in reports/forms.py (`scopes_for`) and the reports they may open in
`Report.objects.for_user`."""

import rules

from accounts.rules import is_national_team, is_psc_chair, is_regional_lead

rules.add_perm("reports.request", is_national_team | is_regional_lead | is_psc_chair)
