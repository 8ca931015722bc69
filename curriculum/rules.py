"""Who may do what with curriculum entries, training and staff support. The generic role
predicates come from accounts/rules.py."""

import rules

from accounts.rules import (
    has_a_working_role,
    is_fellow,
    is_national_team,
    is_regional_lead,
    works_in_region_of,
)


@rules.predicate
def recorded_it(user, record):
    return record is not None and record.created_by_id == user.pk


records_work = is_fellow | is_regional_lead | is_national_team
changes_it = works_in_region_of | recorded_it | is_national_team

# Working records of the regions: a partner reader sees published learning only.
rules.add_perm("curriculum.view", has_a_working_role)
rules.add_perm("curriculum.add", records_work)
rules.add_perm("curriculum.change", changes_it)
rules.add_perm("curriculum.view_coverage", has_a_working_role)
