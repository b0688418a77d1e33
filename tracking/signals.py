"""`obligation_event`: sent after the transaction commits, once for every event written to
an obligation's history (`ObligationEvent.Kind`: opened, acknowledged, extended,
redirected, restarted, answered, withdrawn, and the waiting/rating events), so other
parts of the platform (watchlists and alerts) can react without the ledger importing
them. Arguments: `obligation` (the saved row), `event` (the `ObligationEvent`), `actor`
(a user or None for a system action).
"""

from django.dispatch import Signal

obligation_event = Signal()
