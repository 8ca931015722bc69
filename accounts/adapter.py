from allauth.account.adapter import DefaultAccountAdapter


class AccountAdapter(DefaultAccountAdapter):
    error_messages = {
        **DefaultAccountAdapter.error_messages,
        "email_password_mismatch": "The email address or password is not correct.",
    }

    def is_open_for_signup(self, request):
        # People join by invitation only: the portal holds learning from incidents and every
        # account carries a role in a region.
        return False
