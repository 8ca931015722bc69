"""Asking the portal's rules from a template: `{% can "fellows.add_initiative" as can_add %}`,
or with a record, `{% can "learning.change_learningitem" item as can_change %}`.

The rules are asked directly, as the menu does (portal/context_processors.py): going through
`user.has_perm` (Django's `perms`) also asks the table-permission backend, which costs two
queries a page and grants a superuser everything whatever their role.
"""

import rules
from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def can(context, permission, record=None):
    return rules.has_perm(permission, context["request"].user, record)
