"""A post's review states and which decision leads to which, in one place.

    new ──confirm──► confirmed ──approve──► approved
     │                  └─refer──► referred ──approve──┘
     ├──dismiss──► dismissed
     └──escalate─► escalated

A *sale* is a post an officer confirmed as an offer to sell fireworks (confirmed, referred or
approved): only sales go into cases and evidence packages.
"""

from __future__ import annotations

STATUSES = ("new", "confirmed", "dismissed", "escalated", "referred", "approved")
NEW_STATUS = {
    "confirm": "confirmed",
    "dismiss": "dismissed",
    "escalate": "escalated",
    "refer": "referred",
    "approve": "approved",
}
DECISIONS = (*NEW_STATUS, "note")
SALE_STATUSES = frozenset({"confirmed", "referred", "approved"})
APPROVABLE = frozenset({"confirmed", "referred"})
# Posts an officer has taken up (anything but new or dismissed): their evidence must be captured.
REVIEWED_STATUSES = ("confirmed", "escalated", "referred", "approved")


def is_sale(status: str) -> bool:
    return status in SALE_STATUSES
