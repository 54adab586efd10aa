"""Inject every fault of the raw contract into a clean world, and say where.

Each fault lands on rows no other fault touches (at least three per table it
applies to), so a test can check each one against what staging did with those
rows.  Faults that staging must quarantine are added as extra, broken rows
with fresh keys (the clean story stays whole); faults staging must repair or
flag are made in place.  The manifest lists, per table and fault, how many
rows it concerns and their natural keys ('|'-joined when composite); for
duplicate deliveries and restatements the count is the number of extra rows.
At small scales a table can have fewer clean rows than its faults need
(crm_deals, referral_invites): it then gets clean copies of its rows under
fresh keys first (Injector.make_room), rows no manifest entry names.

The hostile values of the contract (non-finite numbers, redeliveries of a
rate that is not usable, implausible amounts, faulty `_loaded_at`, negative
counts, Unicode whitespace, emails with a misplaced dot) come after the other
faults, with random draws of their own after theirs, so the rows those touch
are the same as before the hostile values were added.  Two manifest entries
carry details for the check: invalid_rate_redelivery the rate that must stay
staged and the reason of each redelivery, loaded_in_future the as-of date
the future rows must not move.
"""

from __future__ import annotations

import numpy as np

from .._base import Clock
from .domain import DomainFaults
from .generic import GenericFaults
from .hostile import HostileFaults

__all__ = ["FAULT_TYPES", "Injector", "inject"]

FAULT_TYPES = (
    "duplicate_delivery",
    "null_key",
    "null_timestamp",
    "timestamp_before_2000",
    "timestamp_in_future",
    "future_closed_at",
    "malformed_email",
    "email_case_spaces",
    "negative_amount",
    "null_amount",
    "unknown_currency",
    "orphan_reference",
    "closed_without_closed_at",
    "stage_change_before_lead_created",
    "stage_log_out_of_order",
    "stage_skipped",
    "stage_repeated",
    "late_web_event",
    "bot_user_agent",
    "null_session_id",
    "ad_spend_restated",
    "messy_codes",
    # hostile values (docs/raw_contract.md, "Hostile values")
    "non_finite_value",
    "invalid_rate_redelivery",
    "implausible_amount",
    "null_loaded_at",
    "loaded_in_future",
    "negative_count",
    "unicode_whitespace_codes",
    "email_double_dot",
)


class Injector(GenericFaults, DomainFaults, HostileFaults):
    """Every fault, in the order that fixes the random draws: the domain faults, then per table the
    generic ones, then the hostile values."""

    def run(self) -> list[dict]:
        self.web_faults()
        self.stage_log_faults()
        self.deal_faults()
        self.email_faults()
        self.messy_codes()
        self.restatements()
        for table in sorted(self.tables):
            self.duplicates(table)
            self.null_keys(table)
            self.timestamp_faults(table)
            self.money_faults(table)
        self.hostile_values()
        self.finish()
        return self.entries


def inject(tables: dict, clock: Clock, rng: np.random.Generator) -> list[dict]:
    return Injector(tables, clock, rng).run()
