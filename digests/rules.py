"""Digests: everyone signed in sets their own; leads preview their region's; the national
team sees every run."""

import rules

from accounts.rules import is_national_team, is_regional_lead

rules.add_perm("digests.change_preference", rules.is_authenticated)
rules.add_perm("digests.preview", is_regional_lead | is_national_team)
rules.add_perm("digests.view_runs", is_national_team)
