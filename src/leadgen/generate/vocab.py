"""Fixed vocabularies of the demo world: names, companies, pages, user agents.

Nothing here is random; the story draws from these lists with its own streams.
"""

from __future__ import annotations

SITE = "https://www.leadgen-demo.io"
STAFF_DOMAIN = "leadgen-demo.io"
# Addresses of our own QA staff: a few test leads use them (int_leads drops them).
TEST_EMAIL_DOMAINS = ("leadgen.internal", "example.test", "mailinator.com")
FREE_EMAIL_DOMAINS = ("gmail.com", "outlook.com", "yahoo.com", "proton.me")

FIRST_NAMES = (
    "Ava",
    "Liam",
    "Mia",
    "Noah",
    "Emma",
    "Lucas",
    "Sofia",
    "Ethan",
    "Chloe",
    "Mateo",
    "Aria",
    "Leo",
    "Nora",
    "Omar",
    "Ines",
    "Hugo",
    "Lena",
    "Jonas",
    "Clara",
    "Felix",
    "Maya",
    "Ravi",
    "Priya",
    "Kenji",
    "Yuki",
    "Sara",
    "David",
    "Anna",
    "Paul",
    "Julia",
    "Marco",
    "Elena",
    "Tom",
    "Zoe",
    "Ali",
    "Fatima",
    "Daniel",
    "Grace",
    "Samuel",
    "Ruth",
)
LAST_NAMES = (
    "Smith",
    "Johnson",
    "Garcia",
    "Muller",
    "Martin",
    "Rossi",
    "Silva",
    "Kim",
    "Nguyen",
    "Patel",
    "Brown",
    "Schmidt",
    "Dubois",
    "Lopez",
    "Novak",
    "Jensen",
    "Kowalski",
    "Tanaka",
    "Cohen",
    "Okafor",
    "Wilson",
    "Moreau",
    "Fischer",
    "Costa",
    "Ivanova",
    "Larsen",
    "Murphy",
    "Bauer",
    "Santos",
    "Ahmed",
    "Clarke",
    "Weber",
    "Romano",
    "Berg",
    "Singh",
    "Hughes",
    "Lambert",
    "Vogel",
    "Reyes",
    "Walsh",
)
COMPANY_WORDS_A = (
    "Blue",
    "North",
    "Bright",
    "Silver",
    "Rapid",
    "Clear",
    "Prime",
    "Urban",
    "Green",
    "Iron",
    "Open",
    "Nova",
    "Summit",
    "Pioneer",
    "Quantum",
    "Atlas",
    "Vertex",
    "Harbor",
    "Cedar",
    "Polar",
    "Solar",
    "Crimson",
    "Golden",
    "Swift",
    "Lumen",
    "Orbit",
    "Delta",
    "Echo",
    "Zenith",
    "Terra",
)
COMPANY_WORDS_B = (
    "Analytics",
    "Logistics",
    "Health",
    "Systems",
    "Labs",
    "Capital",
    "Retail",
    "Foods",
    "Media",
    "Works",
    "Energy",
    "Software",
    "Dynamics",
    "Partners",
    "Robotics",
    "Learning",
    "Networks",
    "Bank",
    "Insurance",
    "Motors",
    "Studio",
    "Cloud",
    "Data",
    "Pharma",
    "Freight",
    "Telecom",
    "Security",
    "Consulting",
    "Farms",
    "Textiles",
)
INDUSTRIES = (
    "software",
    "financial_services",
    "healthcare",
    "manufacturing",
    "retail",
    "education",
    "media",
    "professional_services",
    "logistics",
    "telecom",
)
INDUSTRY_P = (0.22, 0.12, 0.1, 0.11, 0.09, 0.06, 0.06, 0.11, 0.07, 0.06)
COUNTRIES = ("US", "GB", "DE", "FR", "CA", "AU", "NL", "IN", "BR", "ES")
COUNTRY_P = (0.44, 0.12, 0.1, 0.06, 0.07, 0.05, 0.05, 0.05, 0.03, 0.03)
COUNTRY_CURRENCY = {"GB": "GBP", "DE": "EUR", "FR": "EUR", "NL": "EUR", "ES": "EUR", "CA": "CAD", "AU": "AUD"}
COUNTRY_TLD = {"GB": ".co.uk", "DE": ".de", "FR": ".fr", "NL": ".nl", "ES": ".es", "AU": ".com.au", "CA": ".ca"}
COUNTRY_REGION = {"US": "NA", "CA": "NA", "BR": "NA", "AU": "APAC", "IN": "APAC"}  # the rest is EMEA

JOB_TITLES = (
    "VP Marketing",
    "Head of Growth",
    "Marketing Manager",
    "Demand Generation Manager",
    "CMO",
    "Sales Director",
    "Head of Sales",
    "Revenue Operations Manager",
    "Data Analyst",
    "CTO",
    "CEO",
    "Founder",
    "Product Manager",
    "Operations Manager",
    "Marketing Coordinator",
    "Student",
)

# Currencies the demo data uses (fx_rates has a rate for each, every month).
CURRENCIES = ("EUR", "GBP", "CAD", "AUD")
USD_PER_UNIT = {"EUR": 1.08, "GBP": 1.27, "CAD": 0.73, "AUD": 0.66}

CHANNELS = ("organic_search", "direct", "paid_search", "paid_social", "display", "email", "organic_social", "referral")
CHANNEL_P = (0.32, 0.24, 0.14, 0.09, 0.03, 0.05, 0.05, 0.08)
# How much likelier a visitor of the channel is to fill in a form or sign up.
CHANNEL_CONVERSION_WEIGHT = (1.0, 1.2, 1.8, 1.3, 0.6, 1.5, 0.8, 1.6)

BLOG_PATHS = tuple(
    f"/blog/{slug}"
    for slug in (
        "what-is-an-mql",
        "lead-scoring-guide",
        "b2b-funnel-benchmarks",
        "demand-gen-vs-lead-gen",
        "cost-per-lead",
        "attribution-models",
        "abm-playbook",
        "webinar-checklist",
        "sales-handoff",
        "ltv-cac",
        "pipeline-velocity",
        "email-open-rates",
        "landing-page-tips",
        "seo-for-saas",
        "product-led-growth",
        "pql-explained",
        "linkedin-ads-tips",
        "google-ads-budget",
        "churn-basics",
        "referral-programs",
        "content-calendar",
        "cold-email",
        "routing-rules",
        "speed-to-lead",
        "icp-definition",
        "buyer-personas",
        "case-study-template",
        "newsletter-growth",
        "virality",
        "trial-conversion",
        "pricing-pages",
        "forecasting",
        "win-rate",
        "crm-hygiene",
        "utm-guide",
        "marketing-budget",
        "event-roi",
        "partner-marketing",
        "social-selling",
        "intent-data",
        "chatbots",
        "ab-testing",
        "retargeting",
        "brand-awareness",
        "market-sizing",
        "segmentation",
        "customer-journey",
        "nurture-sequences",
        "sales-cycle",
        "kpi-glossary",
        "dashboards",
        "revops-101",
        "data-quality",
        "gdpr-marketing",
        "podcast-launch",
        "video-marketing",
        "thought-leadership",
        "community-led-growth",
        "onboarding-emails",
        "demo-best-practices",
    )
)
RESOURCE_PATHS = tuple(
    f"/resources/{slug}"
    for slug in (
        "state-of-demand-gen",
        "lead-scoring-template",
        "abm-ebook",
        "benchmark-report",
        "roi-calculator",
        "funnel-workbook",
        "plg-guide",
        "email-playbook",
        "budget-planner",
        "kpi-cheatsheet",
    )
)
WEBINAR_PATHS = tuple(
    f"/webinars/{slug}"
    for slug in (
        "pipeline-reviews",
        "attribution-live",
        "plg-motions",
        "abm-at-scale",
        "sdr-playbooks",
        "marketing-mix",
        "forecast-accuracy",
        "content-engines",
    )
)
INNER_PAGES = (
    ("/pricing", 15),
    ("/product", 15),
    ("/product/integrations", 8),
    ("/customers", 8),
    ("/about", 4),
    ("/careers", 3),
    ("/docs", 7),
    ("BLOG", 25),
    ("RESOURCE", 5),
    ("WEBINAR", 4),
    ("/contact", 3),
    ("/demo", 3),
)
LANDING_PAGES = {
    "paid_search": (("/lp/demo", 40), ("/pricing", 20), ("/", 25), ("/lp/trial", 15)),
    "paid_social": (("/lp/ebook", 40), ("/lp/webinar", 20), ("/lp/demo", 20), ("/", 20)),
    "display": (("/", 50), ("/lp/demo", 50)),
    "email": (("BLOG", 50), ("WEBINAR", 25), ("RESOURCE", 25)),
    "organic_search": (("BLOG", 70), ("/", 15), ("/pricing", 5), ("/product", 10)),
    "organic_social": (("BLOG", 60), ("WEBINAR", 20), ("/", 20)),
    "referral": (("/", 40), ("/product", 30), ("/customers", 15), ("/pricing", 15)),
    "direct": (("/", 60), ("/pricing", 15), ("/product", 10), ("/docs", 15)),
}
REFERRERS = {
    "organic_search": (("https://www.google.com/", 80), ("https://www.bing.com/", 15), ("https://duckduckgo.com/", 5)),
    "paid_search": (("https://www.google.com/", 100),),
    "display": (("https://googleads.g.doubleclick.net/", 100),),
    "organic_social": (("https://www.linkedin.com/feed/", 70), ("https://t.co/", 30)),
    "referral": (
        ("https://www.g2.com/products/leadgen/reviews", 40),
        ("https://www.capterra.com/p/leadgen/", 25),
        ("https://news.ycombinator.com/item", 15),
        ("https://partner-blog.example.org/best-tools", 20),
    ),
}
HUMAN_USER_AGENTS = {
    "desktop": (
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36",
        "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_6) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15",
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:132.0) Gecko/20100101 Firefox/132.0",
        "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0 Safari/537.36",
    ),
    "mobile": (
        "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148",
        "Mozilla/5.0 (Linux; Android 15; Pixel 9) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Mobile Safari/537.36",
        "Mozilla/5.0 (Linux; Android 14; SM-S928B) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0 Mobile Safari/537.36",
    ),
    "tablet": (
        "Mozilla/5.0 (iPad; CPU OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148",
    ),
}
# Every one matches the bot patterns of seeds/bot_user_agent_patterns.csv.
BOT_USER_AGENTS = (
    "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
    "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)",
    "Mozilla/5.0 (compatible; AhrefsBot/7.0; +http://ahrefs.com/robot/)",
    "Mozilla/5.0 (compatible; Baiduspider/2.0; +http://www.baidu.com/search/spider.html)",
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/131.0 Safari/537.36",
    "SiteAuditCrawler/1.4 (+https://example-seo.net/crawler)",
)

# Variants of canonical codes as people and tools type them; all normalise
# back (staging trims, lower-cases, turns spaces and hyphens into '_', and
# seeds/code_variants.csv maps the rest).
LEAD_SOURCE_VARIANTS = {
    "web_form": ("Web Form", "WEB-FORM", "webform", " web_form "),
    "content_download": ("Content Download", "content-download", "ebook"),
    "webinar": ("Webinar", "WEBINARS"),
    "trial_signup": ("Trial Signup", "free_trial", "Trial"),
    "demo_request": ("Demo Request", "request_demo", "DEMO-REQUEST"),
    "referral": ("Referral", "referrals"),
    "event": ("Event", "Trade Show"),
    "partner": ("Partner", "partners"),
    "outbound": ("Outbound", "cold_outreach"),
    "list_import": ("List Import", "import"),
}
LEAD_STAGE_VARIANTS = {
    "lead": ("Lead", "LEAD", "new"),
    "mql": ("MQL", "Marketing Qualified Lead", " mql"),
    "sql": ("SQL", "Sales Qualified", "sql "),
    "nurture": ("Nurture", "nurturing"),
    "disqualified": ("Disqualified", "DQ", "unqualified"),
}
DEAL_STAGE_VARIANTS = {
    "discovery": ("Discovery",),
    "demo": ("Demo",),
    "proposal": ("Proposal",),
    "negotiation": ("Negotiation", "Negotiation Review"),
    "closed_won": ("Closed Won", "won"),
    "closed_lost": ("Closed Lost", "lost"),
}
WEB_EVENT_VARIANTS = {
    "page_view": ("Page View", "pageview", "PAGE_VIEW"),
    "click": ("Click",),
    "form_submit": ("Form Submit", "form_submission"),
    "demo_request": ("Demo Request",),
    "signup": ("Sign Up", "sign_up"),
}
EMAIL_EVENT_VARIANTS = {
    "sent": ("Sent", "send"),
    "delivered": ("Delivered", "deliver"),
    "opened": ("Opened", "open"),
    "clicked": ("Clicked", "click"),
    "bounced": ("Bounce",),
    "unsubscribed": ("Unsubscribe",),
    "complained": ("Complained",),
}
OUTCOME_VARIANTS = {
    "no_answer": ("No Answer", "noanswer"),
    "voicemail": ("Voicemail", "voice_mail"),
    "connected": ("Connected",),
    "replied": ("Replied",),
    "sent": ("Sent",),
    "bounced": ("Bounced",),
    "scheduled": ("Scheduled",),
    "attended": ("Attended",),
    "no_show": ("No Show", "noshow"),
}
PLATFORM_VARIANTS = {
    "google_ads": ("Google Ads", "GOOGLE-ADS"),
    "linkedin_ads": ("LinkedIn Ads",),
    "meta_ads": ("Meta Ads",),
    "email": ("Email",),
    "none": ("None",),
}
