"""The clean demo world: one coherent story across every raw table.

Visitors browse the site (bots among them); some fill in a form or request a
demo (a CRM lead) or sign up for the product (an app user, who may invite
others); leads are routed, contacted and move through the lifecycle; some
become deals, some deals are won and become paying subscriptions with monthly
invoices.  Marketing runs campaigns, buys ads, sends emails and posts on
social networks.  Everything happens inside the 24 months of the clock and
is loaded (``_loaded_at``) after it happened and no later than the as-of day.

The story has no faults (the faults package adds them) but it is as messy
as real landed data always is: codes and emails in mixed case, a few null
session ids, bots, soft deletes, test leads of our own staff.

build() runs the stages in a fixed order; each draws from its own random
stream (_base.STREAMS), and the order of draws inside a stage is part of the
data (test_generate_checksum pins it).  The stages live by domain:

    world.py        World, companies, staff, shared helpers
    web.py          visitors, sessions, page events, conversions, web_events
    product.py      app users, referral invites, product events
    crm.py          leads, funnel, stage log, routing, activities, accounts
    deals.py        deals and their stage history
    billing.py      subscriptions and invoices
    marketing.py    campaigns, email, newsletter, social, ad spend, expenses, FX
    records.py      the typed records the stages hand each other
    calibration.py  the volumes, rates and lookup tables
"""

from __future__ import annotations

from . import calibration as C
from .billing import billing
from .crm import accounts_frame, activities_frame, funnel, lead_activities, leads, leads_frame, routing, stage_log
from .deals import deal_activities, deals
from .marketing import ad_spend, campaigns, email_events, expenses, fx_rates, newsletter, social
from .product import app_users, product_events
from .web import web_conversions, web_events, web_sessions
from .world import World, companies, staff

__all__ = ["World", "build"]


# --------------------------------------------------------------------------- the whole story


def build(world: World, progress=None) -> dict:
    step = progress.update if progress is not None else (lambda n=1: None)
    comp = companies(world)
    users_frame = staff(world)
    camp = campaigns(world)
    step()
    web = web_sessions(world, camp)
    step()
    lead_rng = world.rng("leads")
    conversion = web_conversions(world, lead_rng, web, C.LEAD_CONVERSION_SHARE)
    users = app_users(world, web, comp, conversion.visitor)
    lead = leads(world, lead_rng, conversion, web, comp, users)
    events = web_events(world, web, lead, users)
    # the sessions and visitors not needed by web_events' rows go before it
    # is written (World.put_streamed), and the rows go once it is
    del web
    world.put_streamed("web_events", events)
    del events
    step()
    funnel(world, lead)
    stage_log(world, lead)
    routing(world, lead, users_frame)
    deal = deals(world, lead, comp, users_frame)
    activities_frame(
        world, [lead_activities(world, lead, users_frame), deal_activities(world, deal, lead)], lead, deal, users_frame
    )
    leads_frame(world, lead, users_frame)
    accounts_frame(world, comp, lead, users, deal)
    step()
    sub = billing(world, users, deal, comp)
    product_events(world, users, sub)
    email_events(world, camp, lead)
    newsletter(world, lead)
    social(world, camp)
    ad_spend(world, camp, lead)
    expenses(world)
    fx_rates(world)
    step()
    return world.tables
