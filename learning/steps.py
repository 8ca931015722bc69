"""The review workflow of a learning item, named once: for each step, the statuses it may
start from, where it leads, who may take it, and the words its page and messages use. The
views, the services and the rules all read this one table."""

from dataclasses import dataclass

from learning.models import LearningItem

Status = LearningItem.Status


@dataclass(frozen=True)
class ReviewStep:
    name: str
    from_statuses: frozenset
    to_status: str
    permission: str
    # Who may take the step at all, whatever the item's status: anyone else is refused (403)
    # before being told where the item stands.
    who: str
    past_tense: str  # "This item is a draft, so it cannot be <published>."
    heading: str
    button: str
    done: str
    # Steps a reviewer takes from the queue lead back to it; the others to the item.
    returns_to_queue: bool = False

    def refusal(self, item, *, changed=False):
        """Why the step cannot be taken from the item's status; `changed` when it has just
        been moved by someone else."""
        now = " now" if changed else ""
        return (
            f"This item is{now} {item.get_status_display().lower()}, so it cannot be "
            f"{self.past_tense}."
        )


STEPS = {
    step.name: step
    for step in (
        ReviewStep(
            name="submit",
            from_statuses=frozenset({Status.DRAFT, Status.RETURNED}),
            to_status=Status.SUBMITTED,
            permission="learning.submit_learningitem",
            who="learning.author_of_learningitem",
            past_tense="submitted",
            heading="Submit this learning for review?",
            button="Submit for review",
            done="Submitted for review. Your region's HEE regional leads have been told.",
        ),
        ReviewStep(
            name="publish",
            from_statuses=frozenset({Status.SUBMITTED}),
            to_status=Status.PUBLISHED,
            permission="learning.review_learningitem",
            who="learning.reviewer_of_learningitem",
            past_tense="published",
            heading="Publish this learning?",
            button="Publish",
            done="Published. Everyone using the portal can now read it.",
            returns_to_queue=True,
        ),
        ReviewStep(
            name="return",
            from_statuses=frozenset({Status.SUBMITTED}),
            to_status=Status.RETURNED,
            permission="learning.review_learningitem",
            who="learning.reviewer_of_learningitem",
            past_tense="returned",
            heading="Return this learning with feedback?",
            button="Return with feedback",
            done="Returned to the authors with your feedback.",
            returns_to_queue=True,
        ),
        ReviewStep(
            name="withdraw",
            from_statuses=frozenset(
                {Status.DRAFT, Status.SUBMITTED, Status.RETURNED, Status.PUBLISHED}
            ),
            to_status=Status.WITHDRAWN,
            permission="learning.withdraw_learningitem",
            who="learning.withdrawer_of_learningitem",
            past_tense="withdrawn",
            heading="Withdraw this learning?",
            button="Withdraw",
            done="Withdrawn. It no longer appears in lists or search.",
        ),
    )
}
