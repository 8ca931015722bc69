"""What an initiative's page shows of the apps above fellows, answered by them at start-up
(portal/backlinks.py)."""

from portal.backlinks import Backlink

learning_linked = Backlink("the learning items linked to an initiative that the person may see")
recommendations_answered = Backlink("the recommendations an initiative answers")
spread = Backlink("where an initiative was adopted: (adoptions, counts by region and stage)")
