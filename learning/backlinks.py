"""What a learning item's page shows of the apps above learning, answered by them at start-up
(portal/backlinks.py)."""

from portal.backlinks import Backlink

recommendations_answered = Backlink("the recommendations a learning item answers")
gap_recommendations = Backlink("the recommendations made from a gap a learning item records")
spread = Backlink("where a learning item was adopted: (adoptions, counts by region and stage)")
discussion = Backlink(
    "a learning item's discussion as the person sees it, with its part in the item's history"
)
adopted_since = Backlink(
    "what happened to learning items in the register: adoptions recorded since a moment"
)
cited_since = Backlink(
    "what happened to learning items in the curriculum: entries citing them since a moment"
)
commented_since = Backlink(
    "what happened to learning items in their discussion: comments written since a moment"
)
