"""The raw data contract (docs/raw_contract.md) as data.

One source of truth for the raw tables: the generator writes these columns
and types, the dbt sources YAML is checked against them, and the data
quality suites are built from them.  Change the contract here, and only
here.
"""

from __future__ import annotations

from dataclasses import dataclass, field

# Logical types of the contract, with their Arrow equivalents (see arrow_type).
VARCHAR = "VARCHAR"
TIMESTAMP = "TIMESTAMP"
DATE = "DATE"
BOOLEAN = "BOOLEAN"
INTEGER = "INTEGER"
BIGINT = "BIGINT"
DOUBLE = "DOUBLE"
MONEY = "DECIMAL(18,2)"


@dataclass(frozen=True)
class Column:
    name: str
    type: str
    description: str
    pii: bool = False
    enum: tuple[str, ...] | None = None
    # An optional column may be missing from landed files (from some, read as
    # null there, or from all): staging and the raw checks must do without it.
    optional: bool = False


@dataclass(frozen=True)
class Table:
    name: str
    system: str
    description: str
    key: tuple[str, ...]
    # The timestamp (or date) that places a row in time; a row whose value is
    # invalid is quarantined.  None where the table has no such column.
    event_time: str | None
    columns: tuple[Column, ...] = field(default_factory=tuple)
    # The staged names of the key's columns, where the base_ model renames a
    # raw column (fx_rates' month becomes rate_month): raw name -> staged name.
    staged_names: tuple[tuple[str, str], ...] = ()
    # Whether the base_ model is incremental (an append-only event table).
    incremental: bool = False

    @property
    def natural_key(self) -> tuple[str, ...]:
        """The key as the base_ model names it (the sources' meta natural_key)."""
        renamed = dict(self.staged_names)
        return tuple(renamed.get(c, c) for c in self.key)

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)


def _c(name, type_, description, **kw):
    return Column(name, type_, description, **kw)


LOADED_AT = _c(
    "_loaded_at", TIMESTAMP, "When the extractor wrote the row (at-least-once delivery: the latest copy of a key wins)."
)
IS_DELETED = _c("is_deleted", BOOLEAN, "Soft-delete flag set by the source system; null means false.")
CURRENCY = _c("currency_code", VARCHAR, "ISO 4217 code of the amount's currency, any case.")

LEAD_SOURCES = (
    "web_form",
    "content_download",
    "webinar",
    "trial_signup",
    "demo_request",
    "referral",
    "event",
    "partner",
    "outbound",
    "list_import",
)
LEAD_STAGES = ("lead", "mql", "sql", "nurture", "disqualified")
DEAL_STAGES = ("discovery", "demo", "proposal", "negotiation", "closed_won", "closed_lost")
DEAL_TYPES = ("new_business", "expansion", "renewal")
ACTIVITY_TYPES = ("call", "email", "meeting", "linkedin")
DIRECTIONS = ("outbound", "inbound")
OUTCOMES = ("sent", "replied", "bounced", "connected", "no_answer", "voicemail", "scheduled", "attended", "no_show")
CAMPAIGN_CHANNELS = (
    "paid_search",
    "paid_social",
    "display",
    "email",
    "webinar",
    "event",
    "content",
    "referral_program",
    "organic_social",
)
PLATFORMS = ("google_ads", "linkedin_ads", "meta_ads", "email", "none")
EXPENSE_CATEGORIES = ("salaries", "tools", "agencies", "events", "content")
WEB_EVENT_TYPES = ("page_view", "form_submit", "demo_request", "signup", "click")
DEVICE_TYPES = ("desktop", "mobile", "tablet")
EMAIL_EVENT_TYPES = ("sent", "delivered", "bounced", "opened", "clicked", "unsubscribed", "complained")
NEWSLETTER_EVENT_TYPES = ("subscribed", "unsubscribed")
SOCIAL_NETWORKS = ("linkedin", "x", "facebook", "instagram", "youtube")
PLANS = ("starter", "pro", "enterprise")
SUBSCRIPTION_STATUSES = ("trialing", "active", "past_due", "canceled")
INVOICE_STATUSES = ("paid", "open", "void", "refunded")
USER_TEAMS = ("sdr", "ae", "csm", "marketing")
ASSIGNMENT_RULES = ("territory", "segment", "round_robin", "manual")

TABLES: tuple[Table, ...] = (
    Table(
        "crm_leads",
        "crm",
        "One row per lead: a person who showed interest, as the CRM holds it.",
        ("lead_id",),
        "created_at",
        (
            _c("lead_id", VARCHAR, "Natural key of the lead in the CRM."),
            _c("created_at", TIMESTAMP, "When the lead was created in the CRM."),
            _c("updated_at", TIMESTAMP, "When the CRM last changed the lead."),
            _c("email", VARCHAR, "Work email as typed; may be null or malformed.", pii=True),
            _c("first_name", VARCHAR, "Given name.", pii=True),
            _c("last_name", VARCHAR, "Family name.", pii=True),
            _c("job_title", VARCHAR, "Job title, free text."),
            _c("company_name", VARCHAR, "Company name as typed."),
            _c("company_domain", VARCHAR, "Web domain of the company."),
            _c("account_id", VARCHAR, "crm_accounts.account_id once the lead is matched to a company; nullable."),
            _c("country_code", VARCHAR, "ISO 3166-1 alpha-2 country, any case."),
            _c("industry", VARCHAR, "Industry of the company."),
            _c("employee_count", INTEGER, "Company head count; nullable."),
            _c("lead_source", VARCHAR, "How the lead came in; spelling and case vary.", enum=LEAD_SOURCES),
            _c("utm_source", VARCHAR, "utm_source captured by the form at first touch; nullable."),
            _c("utm_medium", VARCHAR, "utm_medium captured by the form at first touch; nullable."),
            _c("utm_campaign", VARCHAR, "utm_campaign captured by the form at first touch; nullable."),
            _c(
                "referred_by_user_id", VARCHAR, "app_users.user_id of the product user who referred the lead; nullable."
            ),
            _c("owner_id", VARCHAR, "Current owner, crm_users.user_id; nullable."),
            IS_DELETED,
            LOADED_AT,
        ),
    ),
    Table(
        "crm_lead_stage_changes",
        "crm",
        "Lifecycle stage log written by the CRM; may be out of order, skip or repeat stages.",
        ("change_id",),
        "changed_at",
        (
            _c("change_id", VARCHAR, "Natural key of the stage change."),
            _c("lead_id", VARCHAR, "The lead whose stage changed."),
            _c("stage", VARCHAR, "Stage entered; case varies.", enum=LEAD_STAGES),
            _c("changed_at", TIMESTAMP, "When the lead entered the stage."),
            LOADED_AT,
        ),
        incremental=True,
    ),
    Table(
        "crm_accounts",
        "crm",
        "Companies known to the CRM.",
        ("account_id",),
        "created_at",
        (
            _c("account_id", VARCHAR, "Natural key of the account."),
            _c("name", VARCHAR, "Company name."),
            _c("domain", VARCHAR, "Company web domain."),
            _c("industry", VARCHAR, "Industry."),
            _c("employee_count", INTEGER, "Head count; nullable."),
            _c("country_code", VARCHAR, "ISO 3166-1 alpha-2 country, any case."),
            _c("created_at", TIMESTAMP, "When the account was created in the CRM."),
            IS_DELETED,
            LOADED_AT,
        ),
    ),
    Table(
        "crm_users",
        "crm",
        "Sales and marketing staff who own leads and deals.",
        ("user_id",),
        None,
        (
            _c("user_id", VARCHAR, "Natural key of the CRM user."),
            _c("full_name", VARCHAR, "Full name of the staff member.", pii=True),
            _c("email", VARCHAR, "Work email of the staff member.", pii=True),
            _c("team", VARCHAR, "Team: sdr, ae, csm or marketing.", enum=USER_TEAMS),
            _c("region", VARCHAR, "Sales region."),
            _c("is_active", BOOLEAN, "Whether the user is still active in the CRM."),
            LOADED_AT,
        ),
    ),
    Table(
        "crm_lead_assignments",
        "crm",
        "Routing log: each time a lead is assigned to an owner.",
        ("assignment_id",),
        "assigned_at",
        (
            _c("assignment_id", VARCHAR, "Natural key of the assignment."),
            _c("lead_id", VARCHAR, "The lead assigned."),
            _c("owner_id", VARCHAR, "The new owner, crm_users.user_id."),
            _c("assigned_at", TIMESTAMP, "When the assignment happened."),
            _c("rule", VARCHAR, "Routing rule that assigned it.", enum=ASSIGNMENT_RULES),
            LOADED_AT,
        ),
    ),
    Table(
        "crm_activities",
        "crm",
        "Sales touches: calls, emails, meetings, LinkedIn messages.",
        ("activity_id",),
        "occurred_at",
        (
            _c("activity_id", VARCHAR, "Natural key of the activity."),
            _c("lead_id", VARCHAR, "The lead touched; nullable."),
            _c("deal_id", VARCHAR, "The deal touched; nullable."),
            _c("owner_id", VARCHAR, "The staff member who did it."),
            _c("activity_type", VARCHAR, "call, email, meeting or linkedin.", enum=ACTIVITY_TYPES),
            _c("direction", VARCHAR, "outbound (we reached out) or inbound (they did).", enum=DIRECTIONS),
            _c("occurred_at", TIMESTAMP, "When it happened; for meetings, the scheduled start."),
            _c("outcome", VARCHAR, "Result of the touch.", enum=OUTCOMES),
            LOADED_AT,
        ),
        incremental=True,
    ),
    Table(
        "crm_deals",
        "crm",
        "Opportunities (deals) in the CRM.",
        ("deal_id",),
        "created_at",
        (
            _c("deal_id", VARCHAR, "Natural key of the deal."),
            _c("lead_id", VARCHAR, "The lead that originated the deal; nullable."),
            _c("account_id", VARCHAR, "The company the deal is with."),
            _c("owner_id", VARCHAR, "Deal owner, crm_users.user_id."),
            _c("deal_name", VARCHAR, "Name of the deal."),
            _c("deal_type", VARCHAR, "new_business, expansion or renewal.", enum=DEAL_TYPES),
            _c("created_at", TIMESTAMP, "When the deal was created."),
            _c("stage", VARCHAR, "Current stage.", enum=DEAL_STAGES),
            _c("amount", MONEY, "Deal amount in currency_code; may be null or (a fault) negative."),
            CURRENCY,
            _c("expected_close_date", DATE, "Close date the owner expects."),
            _c("closed_at", TIMESTAMP, "When the deal was won or lost; null while open."),
            IS_DELETED,
            LOADED_AT,
        ),
    ),
    Table(
        "crm_deal_stage_history",
        "crm",
        "One row each time a deal enters a stage, with the amount then.",
        ("deal_id", "stage", "entered_at"),
        "entered_at",
        (
            _c("deal_id", VARCHAR, "The deal."),
            _c("stage", VARCHAR, "Stage entered.", enum=DEAL_STAGES),
            _c("entered_at", TIMESTAMP, "When the deal entered the stage."),
            _c("amount", MONEY, "Deal amount at that moment, in currency_code; nullable."),
            CURRENCY,
            LOADED_AT,
        ),
    ),
    Table(
        "marketing_campaigns",
        "marketing",
        "Marketing campaigns; utm_campaign joins them to web and lead tracking.",
        # start_date is a plan, not an event: a campaign starting after the
        # as-of day is normal, so no timestamp check quarantines campaigns.
        ("campaign_id",),
        None,
        (
            _c("campaign_id", VARCHAR, "Natural key of the campaign."),
            _c("campaign_name", VARCHAR, "Name of the campaign."),
            _c("channel", VARCHAR, "Marketing channel of the campaign.", enum=CAMPAIGN_CHANNELS),
            _c("platform", VARCHAR, "Platform that runs it.", enum=PLATFORMS),
            _c("utm_campaign", VARCHAR, "utm_campaign value its links carry."),
            _c("start_date", DATE, "First day of the campaign."),
            _c("end_date", DATE, "Last day of the campaign; nullable."),
            _c("budget", MONEY, "Planned budget in currency_code."),
            CURRENCY,
            LOADED_AT,
        ),
    ),
    Table(
        "ad_spend",
        "marketing",
        "Daily ad platform report per campaign; recent days are restated.",
        ("report_date", "platform", "campaign_id"),
        "report_date",
        (
            _c("report_date", DATE, "Day reported."),
            _c("platform", VARCHAR, "Ad platform.", enum=PLATFORMS),
            _c("campaign_id", VARCHAR, "marketing_campaigns.campaign_id."),
            _c("impressions", BIGINT, "Impressions that day."),
            _c("clicks", BIGINT, "Clicks that day."),
            _c(
                "conversions",
                INTEGER,
                "Conversions the platform claims for that day and campaign (its own count: view-through and"
                " cross-device included); optional, null or absent where the platform reports none.",
                optional=True,
            ),
            _c("spend", MONEY, "Spend that day in currency_code."),
            CURRENCY,
            LOADED_AT,
        ),
    ),
    Table(
        "marketing_expenses",
        "marketing",
        "Monthly sales and marketing costs that are not ad spend.",
        ("month", "category", "currency_code"),
        "month",
        (
            _c("month", DATE, "First day of the month."),
            _c("category", VARCHAR, "Cost category.", enum=EXPENSE_CATEGORIES),
            _c("amount", MONEY, "Cost in currency_code."),
            CURRENCY,
            LOADED_AT,
        ),
        staged_names=(("month", "expense_month"),),
    ),
    Table(
        "fx_rates",
        "finance",
        "Monthly currency rates to USD.",
        ("month", "currency_code"),
        "month",
        (
            _c("month", DATE, "First day of the month."),
            CURRENCY,
            _c("usd_per_unit", DOUBLE, "US dollars per unit of the currency; USD is 1.0."),
            LOADED_AT,
        ),
        staged_names=(("month", "rate_month"),),
    ),
    Table(
        "web_events",
        "web",
        "Web tracker events: page views, clicks and conversions.",
        ("event_id",),
        "occurred_at",
        (
            _c("event_id", VARCHAR, "Natural key of the event."),
            _c("anonymous_id", VARCHAR, "Browser cookie id: one visitor."),
            _c("session_id", VARCHAR, "Tracker session id; may be null (the project then sessionises)."),
            _c("event_type", VARCHAR, "Kind of event.", enum=WEB_EVENT_TYPES),
            _c("occurred_at", TIMESTAMP, "When it happened in the browser; may arrive days late."),
            _c("page_url", VARCHAR, "Full URL, may carry utm_* query parameters."),
            _c("page_path", VARCHAR, "Path of the page."),
            _c("referrer_url", VARCHAR, "Referring URL; nullable."),
            _c("user_agent", VARCHAR, "Browser user agent; bots exist."),
            _c("device_type", VARCHAR, "desktop, mobile or tablet.", enum=DEVICE_TYPES),
            _c("country_code", VARCHAR, "ISO 3166-1 alpha-2 country, any case."),
            _c("lead_id", VARCHAR, "Set on form_submit and demo_request: the lead created."),
            _c("user_id", VARCHAR, "Set on signup: app_users.user_id."),
            LOADED_AT,
        ),
        incremental=True,
    ),
    Table(
        "email_events",
        "email",
        "Email service events per campaign and recipient.",
        ("event_id",),
        "occurred_at",
        (
            _c("event_id", VARCHAR, "Natural key of the event."),
            _c("campaign_id", VARCHAR, "marketing_campaigns.campaign_id of the send."),
            _c("recipient_email", VARCHAR, "Recipient address as the service reports it.", pii=True),
            _c("lead_id", VARCHAR, "The lead emailed; nullable."),
            _c("event_type", VARCHAR, "Kind of event; opens can repeat.", enum=EMAIL_EVENT_TYPES),
            _c("occurred_at", TIMESTAMP, "When it happened."),
            LOADED_AT,
        ),
        incremental=True,
    ),
    Table(
        "newsletter_subscriptions",
        "email",
        "Newsletter subscribe and unsubscribe events.",
        ("event_id",),
        "occurred_at",
        (
            _c("event_id", VARCHAR, "Natural key of the event."),
            _c("email", VARCHAR, "Subscriber address as typed.", pii=True),
            _c("event_type", VARCHAR, "subscribed or unsubscribed.", enum=NEWSLETTER_EVENT_TYPES),
            _c("occurred_at", TIMESTAMP, "When it happened."),
            _c("source", VARCHAR, "Where the subscription came from (footer, blog, webinar, ...)."),
            LOADED_AT,
        ),
    ),
    Table(
        "social_post_metrics",
        "marketing",
        "Daily engagement increments per social post.",
        ("post_id", "metric_date"),
        "metric_date",
        (
            _c("post_id", VARCHAR, "The post."),
            _c("network", VARCHAR, "Social network.", enum=SOCIAL_NETWORKS),
            _c("campaign_id", VARCHAR, "marketing_campaigns.campaign_id; nullable."),
            _c("posted_at", TIMESTAMP, "When the post was published."),
            _c("metric_date", DATE, "Day the figures are for."),
            _c("impressions", BIGINT, "Impressions that day (increment)."),
            _c("likes", BIGINT, "Likes that day (increment)."),
            _c("shares", BIGINT, "Shares that day (increment)."),
            _c("comments", BIGINT, "Comments that day (increment)."),
            LOADED_AT,
        ),
    ),
    Table(
        "app_users",
        "product",
        "Product sign-ups.",
        ("user_id",),
        "signed_up_at",
        (
            _c("user_id", VARCHAR, "Natural key of the product user."),
            _c(
                "account_id", VARCHAR, "Workspace; equals crm_accounts.account_id when the company is known to the CRM."
            ),
            _c("email", VARCHAR, "Sign-up email as typed.", pii=True),
            _c("signed_up_at", TIMESTAMP, "When the user signed up."),
            _c("utm_source", VARCHAR, "utm_source at sign-up; nullable."),
            _c("utm_medium", VARCHAR, "utm_medium at sign-up; nullable."),
            _c("utm_campaign", VARCHAR, "utm_campaign at sign-up; nullable."),
            _c("referred_by_user_id", VARCHAR, "user_id of the referrer; nullable."),
            _c("referral_invite_id", VARCHAR, "referral_invites.invite_id that brought the user; nullable."),
            IS_DELETED,
            LOADED_AT,
        ),
    ),
    Table(
        "product_events",
        "product",
        "Product usage events.",
        ("event_id",),
        "occurred_at",
        (
            _c("event_id", VARCHAR, "Natural key of the event."),
            _c("user_id", VARCHAR, "app_users.user_id."),
            _c("account_id", VARCHAR, "Workspace of the user."),
            _c("event_name", VARCHAR, "What the user did (login, project_created, teammate_invited, ...)."),
            _c("occurred_at", TIMESTAMP, "When it happened."),
            LOADED_AT,
        ),
        incremental=True,
    ),
    Table(
        "referral_invites",
        "product",
        "Invites users send to bring others in.",
        ("invite_id",),
        "sent_at",
        (
            _c("invite_id", VARCHAR, "Natural key of the invite."),
            _c("inviter_user_id", VARCHAR, "app_users.user_id of the sender."),
            _c("invitee_email", VARCHAR, "Address invited.", pii=True),
            _c("sent_at", TIMESTAMP, "When the invite was sent."),
            _c("accepted_at", TIMESTAMP, "When it was accepted; nullable."),
            _c("invitee_user_id", VARCHAR, "user_id of the sign-up it brought; nullable."),
            LOADED_AT,
        ),
    ),
    Table(
        "billing_subscriptions",
        "billing",
        "Subscriptions of accounts, with trial and paid dates.",
        ("subscription_id",),
        None,
        (
            _c("subscription_id", VARCHAR, "Natural key of the subscription."),
            _c("account_id", VARCHAR, "Paying workspace / account."),
            _c("plan", VARCHAR, "Plan.", enum=PLANS),
            _c("status", VARCHAR, "Current status.", enum=SUBSCRIPTION_STATUSES),
            _c("trial_started_at", TIMESTAMP, "Trial start; nullable."),
            _c("trial_ended_at", TIMESTAMP, "Trial end; nullable."),
            _c("paid_started_at", TIMESTAMP, "First paid day; nullable."),
            _c("canceled_at", TIMESTAMP, "Cancellation; nullable."),
            _c("mrr_amount", MONEY, "Monthly recurring revenue in currency_code."),
            CURRENCY,
            LOADED_AT,
        ),
    ),
    Table(
        "billing_invoices",
        "billing",
        "Invoices; revenue is paid invoices by the month of paid_at.",
        # paid_at defines an invoice (revenue month) but is null until it is
        # paid: staging requires it only for status 'paid'.
        ("invoice_id",),
        "paid_at",
        (
            _c("invoice_id", VARCHAR, "Natural key of the invoice."),
            _c("subscription_id", VARCHAR, "billing_subscriptions.subscription_id."),
            _c("account_id", VARCHAR, "Billed account."),
            _c("issued_at", TIMESTAMP, "When the invoice was issued."),
            _c("paid_at", TIMESTAMP, "When it was paid; nullable."),
            _c("amount", MONEY, "Invoice amount in currency_code."),
            CURRENCY,
            _c("status", VARCHAR, "paid, open, void or refunded.", enum=INVOICE_STATUSES),
            LOADED_AT,
        ),
    ),
)

TABLES_BY_NAME = {t.name: t for t in TABLES}


def arrow_type(logical: str):
    """Arrow type that Parquet files of the contract use for a logical type."""
    import pyarrow as pa

    return {
        VARCHAR: pa.string(),
        TIMESTAMP: pa.timestamp("us"),
        DATE: pa.date32(),
        BOOLEAN: pa.bool_(),
        INTEGER: pa.int32(),
        BIGINT: pa.int64(),
        DOUBLE: pa.float64(),
        MONEY: pa.decimal128(18, 2),
    }[logical]


def arrow_schema(table: str):
    import pyarrow as pa

    t = TABLES_BY_NAME[table]
    return pa.schema([(c.name, arrow_type(c.type)) for c in t.columns])
