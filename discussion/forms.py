from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms

from discussion.mentions import HOW_TO_MENTION
from discussion.models import Comment
from portal.forms import PortalForm, max_length_of


class CommentForm(PortalForm):
    body = forms.CharField(
        label="Your comment",
        max_length=max_length_of(Comment, "body"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=f"Plain text or Markdown: lists, links and emphasis. {HOW_TO_MENTION} "
        "Do not include patient-identifiable information.",
        error_messages={"required": "Enter your comment"},
    )

    def __init__(self, *args, action=None, button="Add comment", mentions=True, **kwargs):
        super().__init__(*args, **kwargs)
        if not mentions:
            # Only a new comment tells the people it mentions (docs/adr/0041).
            body = self.fields["body"]
            body.help_text = body.help_text.replace(f"{HOW_TO_MENTION} ", "")
        self.helper = FormHelper()
        if action:
            self.helper.form_action = action
        self.helper.add_input(Submit("save", button))


class HideForm(PortalForm):
    reason = forms.CharField(
        label="Why are you hiding this comment?",
        max_length=max_length_of(Comment, "hidden_reason"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Recorded in the history of the learning item. The comment's writer and "
        "the other moderators can read it.",
        error_messages={"required": "Enter why you are hiding this comment"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(Submit("hide", "Hide comment", css_class="nhsuk-button--warning"))
