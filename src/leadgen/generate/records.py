"""The records the stages of the story hand each other: leads, product users, deals, subscriptions.

One numpy array per field, one entry per record; times are in days since the
clock's start (NaN: not, or not yet); an index into another record set is -1
when there is none.  Each builder fills a record set in one go; the fields
after the blank line of Leads are added by later stages of the lifecycle
(funnel, stage_log, routing), in that order.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass
class LeadConversions:
    """The conversion events that created web leads, in lead order."""

    session: np.ndarray
    time: np.ndarray
    lead_id: np.ndarray
    event_type: np.ndarray  # form_submit or demo_request
    path: np.ndarray


@dataclass
class SignupConversions:
    """The sign-up events that created product users."""

    session: np.ndarray
    time: np.ndarray
    user_id: np.ndarray


@dataclass
class Users:
    """Product users (app_users), in the order they were made: web sign-ups first, then invitees."""

    signed_up_at: np.ndarray
    domain: np.ndarray  # their email domain
    company: np.ndarray  # index into Companies (-1: a company the CRM does not know, or a free address)
    country: np.ndarray
    utm_source: np.ndarray
    utm_medium: np.ndarray
    utm_campaign: np.ndarray
    referrer: np.ndarray  # index of the user who invited them
    invite: np.ndarray  # index of the referral invite they accepted
    workspace: np.ndarray  # index of the user whose workspace they joined
    first: np.ndarray
    last: np.ndarray
    email: np.ndarray
    user_id: np.ndarray
    account_id: np.ndarray  # the CRM account of the workspace, else the product's own workspace id
    activated: np.ndarray  # bool: got value out of the product in the first days
    is_deleted: np.ndarray  # bool
    referral_invite_id: np.ndarray
    referred_by_user_id: np.ndarray
    conversion: SignupConversions  # the web sign-ups among them


@dataclass
class Leads:
    """CRM leads, in creation order."""

    source: np.ndarray  # lead source code
    created: np.ndarray
    company: np.ndarray  # index into Companies (-1: unknown to the CRM)
    utm_source: np.ndarray
    utm_medium: np.ndarray
    utm_campaign: np.ndarray
    referred_by: np.ndarray  # user id of the product user who referred them
    user: np.ndarray  # index into Users for trial sign-up leads
    web: np.ndarray  # index into the web conversions for web leads
    company_name: np.ndarray
    company_domain: np.ndarray
    industry: np.ndarray
    employees: np.ndarray
    country: np.ndarray
    first: np.ndarray
    last: np.ndarray
    email: np.ndarray
    is_test: np.ndarray  # bool: our own QA team's test leads
    lead_id: np.ndarray
    account_id_all: np.ndarray  # the account of the company, whether or not the CRM links the lead to it
    fit: np.ndarray  # bool: the ideal customer profile
    is_deleted: np.ndarray  # bool
    conversion: LeadConversions  # the web conversions that created the web leads

    mql: np.ndarray | None = None  # funnel: when each lead became an MQL, an SQL, an opportunity
    sql: np.ndarray | None = None
    opp: np.ndarray | None = None
    nurture: np.ndarray | None = None  # funnel: parked in nurture, or disqualified
    disqualified: np.ndarray | None = None
    updated: np.ndarray | None = None  # stage_log, then routing: the lead record's last update
    moved_to: np.ndarray | None = None  # routing: the SDR a lead was reassigned to, and when
    moved_at: np.ndarray | None = None
    owner: np.ndarray | None = None  # routing: current owner, first SDR and AE (indexes into the staff)
    sdr: np.ndarray | None = None
    ae: np.ndarray | None = None


@dataclass
class Deals:
    """CRM deals (new business, expansions, renewals), in creation order."""

    lead: np.ndarray  # index into Leads (-1: expansions and renewals)
    company: np.ndarray  # index into Companies
    type: np.ndarray  # new_business, expansion or renewal
    created: np.ndarray
    amount: np.ndarray  # in USD
    cycle: np.ndarray  # days from creation to close
    p_win: np.ndarray
    owner: np.ndarray  # index into the staff
    last_stage: np.ndarray  # index into calibration.OPEN_STAGES of the last stage reached
    won: np.ndarray  # bool
    lost: np.ndarray  # bool
    closed: np.ndarray  # NaN while open
    deal_id: np.ndarray
    currency: np.ndarray
    local_amount: np.ndarray  # in the deal's currency
    is_deleted: np.ndarray  # bool


@dataclass
class Subscriptions:
    """Billing subscriptions, in creation order."""

    account: np.ndarray  # account id (CRM account or product workspace)
    trial_start: np.ndarray  # NaN for sales-led subscriptions without a trial
    trial_end: np.ndarray
    paid_start: np.ndarray  # NaN: never paid
    plan: np.ndarray
    mrr: np.ndarray
    currency: np.ndarray
    sales_led: np.ndarray  # bool
    subscription_id: np.ndarray
    canceled: np.ndarray  # NaN: not canceled
