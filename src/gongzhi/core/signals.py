"""Signals core sends to the apps above it (which core never imports)."""

from django.dispatch import Signal

#: Sent after commit when the arrangement of one or more years becomes complete (``years``: a list of
#: ints): apps recount the deadlines they counted on weekends only for those years.
workdays_completed = Signal()
