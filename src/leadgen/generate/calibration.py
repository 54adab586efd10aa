"""Every rate and size of the story that calibrates it, in one place.

Volumes are per scale 1 (a pair: the count at scale 1 and the floor at tiny
scales, see world.scaled); rates are shares of rows or probabilities; times
are in days (the generator's unit, see _base).  Changing a value here changes
the data set: test_generate_checksum pins it.
"""

from __future__ import annotations

import numpy as np

# ---- volumes: (count at scale 1, minimum at any scale)

COMPANIES = (7000, 60)  # companies in the market (the CRM's accounts)
VISITORS = (330_000, 400)  # distinct website visitors over the 24 months
LEADS = (20_000, 60)  # CRM leads, all sources together (web and trial leads first, the rest tops it up)
EMAIL_OUTSIDERS = (300, 20)  # email campaign recipients who are not leads (free addresses)
NEWSLETTER_SIGNUPS = (2500, 20)  # newsletter subscription attempts
SOCIAL_POSTS = (900, 30)  # social network posts

# ---- web and product

BOT_SHARE = 0.02  # share of visitors that are bots
LEAD_CONVERSION_SHARE = 0.02  # share of human visitors who fill in a form or request a demo
SIGNUP_CONVERSION_SHARE = 0.0068  # share of the other human visitors who sign up for the product
INVITE_RATES = (0.3, 0.18)  # share of users who invite people, first the sign-ups, then the invitees
TRIAL_DAYS = 14  # a product trial's length; usage after it follows the paid subscription

# ---- leads and their lifecycle

# lead sources and their weights: leads from the website, and all other leads
WEB_LEAD_SOURCES = (("demo_request", 20), ("web_form", 35), ("content_download", 30), ("webinar", 15))
OTHER_LEAD_SOURCES = (("referral", 5), ("event", 7), ("partner", 6), ("outbound", 20), ("list_import", 9))
# chance a lead of each source becomes an MQL (before the fit and free-address factors)
P_MQL = {
    "web_form": 0.35,
    "content_download": 0.22,
    "webinar": 0.3,
    "demo_request": 0.6,
    "trial_signup": 0.35,
    "referral": 0.45,
    "event": 0.3,
    "partner": 0.35,
    "outbound": 0.12,
    "list_import": 0.08,
}
P_SQL_DEMO, P_SQL_OTHER = 0.55, 0.38  # chance an MQL becomes an SQL, demo requests and the rest (before fit)
P_OPPORTUNITY = 0.62  # chance an SQL at a company the CRM knows becomes an opportunity
# sources the leads come to us from, routed by rule (the others are assigned by hand)
INBOUND = ("web_form", "content_download", "webinar", "demo_request", "trial_signup", "referral", "event", "partner")
# outcomes of sales touches by kind, with weights
ACTIVITY_OUTCOMES = {
    "call": (("connected", 25), ("no_answer", 50), ("voicemail", 25)),
    "email": (("sent", 82), ("replied", 12), ("bounced", 6)),
    "linkedin": (("sent", 80), ("replied", 20)),
}

# ---- deals

OPEN_STAGES = ("discovery", "demo", "proposal", "negotiation")
STAGE_AT = np.array([0.0, 0.15, 0.4, 0.7])  # share of the sales cycle when each stage is entered
P_WIN_DEMO, P_WIN_REFERRAL, P_WIN_OTHER = 0.29, 0.3, 0.22  # chance a new-business deal is won, by lead source

# ---- billing

PLAN_PRICE = {"starter": 49.0, "pro": 149.0, "enterprise": 600.0}  # monthly price per seat
MONTH = 30.4375  # days in an average month: the billing period
CHURN_SALES_LED, CHURN_SELF_SERVE = 0.01, 0.028  # monthly cancellation hazard of paid subscriptions

# ---- marketing

# always-on campaigns: name, channel, platform, utm_campaign, daily budget in USD at scale 1, currency
ALWAYS_ON = (
    ("Search - Brand", "paid_search", "google_ads", "search_brand", 120, "USD"),
    ("Search - Generic", "paid_search", "google_ads", "search_generic", 300, "USD"),
    ("Search - Competitors", "paid_search", "google_ads", "search_competitor", 150, "USD"),
    ("LinkedIn - ABM", "paid_social", "linkedin_ads", "linkedin_abm", 200, "EUR"),
    ("LinkedIn - Lead Gen", "paid_social", "linkedin_ads", "linkedin_lead_gen", 250, "EUR"),
    ("Meta - Retargeting", "paid_social", "meta_ads", "meta_retargeting", 100, "USD"),
    ("Display - Retargeting", "display", "google_ads", "display_retargeting", 80, "USD"),
    ("Referral program", "referral_program", "none", "referral_program", 0, "USD"),
    ("Organic social", "organic_social", "none", "organic_social", 0, "USD"),
)
PAID_CHANNELS = ("paid_search", "paid_social", "display")  # channels with ad spend
EVENT_BUDGET = 25000  # USD per field event at scale 1
COST_PER_CLICK = {"google_ads": 3.2, "linkedin_ads": 8.5, "meta_ads": 1.4}  # USD, by ad platform
CLICK_THROUGH = {"paid_search": 0.04, "paid_social": 0.007, "display": 0.002}  # clicks per impression, by channel
# Conversions an ad platform claims (ad_spend.conversions), by platform: (claim factor, view-through
# conversions per impression).  A platform counts every tracked lead of its campaign times the factor
# (cross-device matches, conversions it shares with the other platforms, modelled conversions) plus
# conversions of people who only saw an ad; search claims least, social networks most.
PLATFORM_CLAIMS = {"google_ads": (1.2, 0.000004), "linkedin_ads": (1.7, 0.00006), "meta_ads": (2.3, 0.00004)}
# Platforms whose conversion tracking (tag or pixel) goes live only this many days into the data:
# their earlier reports carry no conversions (null).
CONVERSION_TRACKING_FROM_DAY = {"linkedin_ads": 75}
# marketing expenses: category, currency, monthly amount in USD at scale 1
EXPENSES = (
    ("salaries", "USD", 60000),
    ("tools", "USD", 9000),
    ("agencies", "EUR", 12000),
    ("agencies", "USD", 3000),
    ("events", "EUR", 6000),
    ("content", "USD", 5000),
)
