import rules

# Everyone signed in searches; what each finds is their own scope (search/views.py).
rules.add_perm("search.search", rules.is_authenticated)
