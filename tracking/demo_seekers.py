"""The consumer demo's job seekers (make run; written by tracking/demo.py): five people in different lines of work and
countries, each with a CV and a search over months that ends differently (one interviewing, one waiting to hear, one
who accepted an offer, one with an offer to decide, one gone quiet). Employers are invented; salaries are in the
posting's own currency and period, in the ranges the reference data gives for the role and place (data/reference:
the BLS OEWS 2025 wages for US nurses and accountants, the salary surveys for data and marketing roles).

Pure data: no ORM, no clock. Days are counted back from the day the demo is set up.
"""

from __future__ import annotations

from dataclasses import dataclass

# Stage, channel, remote and period values as tracking.models spells them.
SAVED, APPLIED, SCREENING, INTERVIEWING = "saved", "applied", "screening", "interviewing"
OFFER, ACCEPTED, REJECTED, WITHDRAWN, GHOSTED = "offer", "accepted", "rejected", "withdrawn", "ghosted"


@dataclass(frozen=True)
class DemoApplication:
    title: str
    company: str
    location: str
    country: str  # ISO 3166
    industry: str  # a market.industries code
    salary: tuple[int, int, str, str] | None  # (minimum, maximum, currency, period)
    remote: str  # on_site, hybrid, remote
    channel: str
    moves: tuple[tuple[str, int], ...]  # (stage, days ago), oldest first; the first is saved or applied
    offer: int | None = None  # a yearly amount in the posting's currency, on the offer move
    contact: tuple[str, str, str] | None = None  # (name, role, e-mail)
    note: str = ""
    task: tuple[str, int] | None = None  # (title, due in days)


@dataclass(frozen=True)
class DemoSeeker:
    email: str
    full_name: str
    joined_days_ago: int
    utc_offset_hours: int  # their working day, for the times of their moves
    headline: str
    country: str
    currency: str
    years_experience: int
    cv: str
    description: str  # a posting's text; {title} and {company} are filled in
    applications: tuple[DemoApplication, ...]


A = DemoApplication
DEMO_LABEL = "(Demo posting: the employer is invented.)\n\n"  # first, so it is never read as a requirement

SAM = DemoSeeker(
    email="seeker@example.com",
    full_name="Sam Okafor",
    joined_days_ago=152,
    utc_offset_hours=-5,
    headline="Senior data engineer",
    country="CA",
    currency="CAD",
    years_experience=6,
    cv="""Sam Okafor
Data engineer · Toronto, Canada · sam.okafor@example.com

Summary
Data engineer with six years of experience building batch and streaming pipelines.

Experience
Senior Data Engineer, Larchmont Analytics — 2021 – present
- Built Airflow and dbt pipelines on PostgreSQL and Amazon Redshift
- Moved nightly jobs to Apache Kafka streams; cut data latency from hours to minutes
Data Engineer, Pinecrest Retail — 2018 – 2021
- Python and SQL ETL for the sales warehouse; Tableau dashboards for finance

Education
BSc Computer Science, University of Toronto — 2018

Skills
Python, SQL, PostgreSQL, Apache Airflow, dbt, Apache Kafka, Docker, Git, Tableau

Languages
English (native), French (B2)
""",
    description=(
        "Join {company} as our {title} and build and run the pipelines our analysts and products rely on.\n\n"
        "Requirements:\n- 4+ years of Python and SQL\n- Experience with Apache Airflow or dbt\n- PostgreSQL\n\n"
        "Nice to have:\n- Apache Kafka\n- Terraform is a plus"
    ),
    applications=(
        A(
            "Senior Data Engineer", "Fernhill Payments", "Toronto, ON", "CA", "finance-insurance",
            (128_000, 150_000, "CAD", "year"), "hybrid", "referral",
            ((APPLIED, 146), (SCREENING, 139), (INTERVIEWING, 130), (REJECTED, 121)),
        ),
        A(
            "Data Engineer II", "Cedarline Insurance", "Toronto, ON", "CA", "finance-insurance",
            (105_000, 120_000, "CAD", "year"), "hybrid", "job_board", ((APPLIED, 140), (GHOSTED, 104)),
        ),
        A(
            "Data Platform Engineer", "Northlake Health Network", "Montréal, QC", "CA", "healthcare",
            None, "hybrid", "company_site", ((APPLIED, 118), (SCREENING, 110), (WITHDRAWN, 101)),
            note="Withdrew: the team wants three days a week in the Montréal office.",
        ),
        A(
            "Analytics Engineer", "Quarry Lane Software", "Remote (US)", "US", "technology",
            (135_000, 155_000, "USD", "year"), "remote", "job_board", ((APPLIED, 97), (REJECTED, 93)),
        ),
        A(
            "Senior Data Engineer", "Tamarack Energy", "Calgary, AB", "CA", "energy-utilities",
            (125_000, 145_000, "CAD", "year"), "on_site", "recruiter",
            ((APPLIED, 76), (SCREENING, 70), (INTERVIEWING, 61), (INTERVIEWING, 52), (REJECTED, 46)),
        ),
        A(
            "Data Engineer", "Brightwater Retail Group", "Vancouver, BC", "CA", "retail-ecommerce",
            (98_000, 115_000, "CAD", "year"), "hybrid", "job_board", ((APPLIED, 58), (GHOSTED, 22)),
        ),
        A(
            "Senior Data Engineer", "Harbourfront Media", "Toronto, ON", "CA", "marketing-media",
            (118_000, 138_000, "CAD", "year"), "hybrid", "company_site",
            ((APPLIED, 33), (SCREENING, 26), (INTERVIEWING, 16), (INTERVIEWING, 5)),
            contact=("Renée Tremblay", "recruiter", "renee.tremblay@harbourfront-media.example"),
            note="Second round was system design. Ask about the on-call rotation.",
            task=("Send the take-home exercise", 2),
        ),
        A(
            "Lead Data Engineer", "Maplegrove Credit Union", "Toronto, ON", "CA", "finance-insurance",
            (140_000, 165_000, "CAD", "year"), "hybrid", "referral", ((APPLIED, 12), (SCREENING, 4)),
        ),
        A(
            "Staff Data Engineer", "Ridgeback Logistics", "Mississauga, ON", "CA", "transportation-logistics",
            (150_000, 175_000, "CAD", "year"), "hybrid", "job_board", ((APPLIED, 6),),
        ),
        A(
            "Data Engineer, Streaming", "Kestrel Telecom", "Ottawa, ON", "CA", "technology",
            (115_000, 135_000, "CAD", "year"), "remote", "job_board", ((SAVED, 2),),
        ),
    ),
)  # fmt: skip

ALEX = DemoSeeker(
    email="second.seeker@example.com",
    full_name="Alex Brennan",
    joined_days_ago=128,
    utc_offset_hours=-5,
    headline="Registered nurse, medical-surgical",
    country="US",
    currency="USD",
    years_experience=4,
    cv="""Alex Brennan, RN, BSN
Registered nurse · Columbus, OH · alex.brennan@example.com

Summary
Registered nurse with four years on a busy medical-surgical floor, looking for a charge or outpatient role.

Experience
Registered Nurse, Medical-Surgical, Whitfield Community Hospital — 2022 – present
- Care for five to six patients a shift on a 32-bed unit; preceptor for new graduates
- Led the unit's falls-prevention project; falls down by a third in a year

Education
BSN, Ohio University — 2022

Licences and certifications
Ohio RN licence, BLS, ACLS

Languages
English (native), Spanish (conversational)
""",
    description=(
        "{company} is hiring: {title}, in a team that puts patients first.\n\n"
        "Requirements:\n- Current Ohio RN licence\n- BLS and ACLS\n- 2+ years of acute care experience\n\n"
        "Nice to have:\n- BSN\n- Charge nurse or preceptor experience"
    ),
    applications=(
        A(
            "Registered Nurse, Med-Surg", "Scioto Valley Medical Center", "Columbus, OH", "US", "healthcare",
            (38, 46, "USD", "hour"), "on_site", "company_site",
            ((APPLIED, 121), (SCREENING, 115), (INTERVIEWING, 108), (REJECTED, 100)),
        ),
        A(
            "RN, Emergency Department", "Olentangy Regional Hospital", "Columbus, OH", "US", "healthcare",
            (40, 49, "USD", "hour"), "on_site", "job_board", ((APPLIED, 112), (GHOSTED, 80)),
        ),
        A(
            "Travel Nurse, ICU", "Crossroads Travel Nursing", "Cleveland, OH", "US", "healthcare",
            None, "on_site", "agency", ((APPLIED, 95), (REJECTED, 88)),
            note="They want two years of ICU; ask again next year.",
        ),
        A(
            "Charge Nurse", "Franklin Park Care Center", "Columbus, OH", "US", "healthcare",
            (44, 52, "USD", "hour"), "on_site", "job_board",
            ((APPLIED, 70), (SCREENING, 63), (INTERVIEWING, 55), (GHOSTED, 20)),
        ),
        A(
            "Clinical Nurse, Outpatient Oncology", "Riverbend Cancer Institute", "Westerville, OH", "US", "healthcare",
            (40, 48, "USD", "hour"), "on_site", "referral", ((APPLIED, 30), (SCREENING, 22), (INTERVIEWING, 9)),
            contact=("Denise Carter", "nurse manager", "dcarter@riverbend-cancer.example"),
        ),
        A(
            "Registered Nurse, Telemetry", "Granville Community Hospital", "Newark, OH", "US", "healthcare",
            (37, 45, "USD", "hour"), "on_site", "job_board", ((APPLIED, 14),),
        ),
        A(
            "Nurse Educator", "Capital Area School of Nursing", "Columbus, OH", "US", "education",
            (70_000, 82_000, "USD", "year"), "hybrid", "company_site", ((SAVED, 3),),
        ),
    ),
)  # fmt: skip

AOIFE = DemoSeeker(
    email="aoife.gallagher@example.com",
    full_name="Aoife Gallagher",
    joined_days_ago=170,
    utc_offset_hours=0,
    headline="Marketing manager, B2B software",
    country="IE",
    currency="EUR",
    years_experience=8,
    cv="""Aoife Gallagher
Marketing manager · Dublin, Ireland · aoife.gallagher@example.com

Summary
B2B marketer with eight years in software and payments: positioning, launches and demand generation.

Experience
Marketing Manager, Portobello Cloud — 2020 – present
- Ran the launch of two products in the UK and Ireland; pipeline from marketing up 40 %
- Built the team's reporting in HubSpot and Looker
Marketing Executive, Dunmore Print — 2017 – 2020
- Campaigns, events and the company's first content programme

Education
BComm, University College Cork — 2017

Skills
Product marketing, Demand generation, Content strategy, HubSpot, Google Analytics, Looker, SEO

Languages
English (native), Irish (fluent), French (B1)
""",
    description=(
        "Join {company} as our {title} and tell our story to the teams who buy from us.\n\n"
        "Requirements:\n- 5+ years of B2B marketing\n- Experience launching products\n- HubSpot or a similar tool\n\n"
        "Nice to have:\n- SaaS or payments experience\n- Google Analytics"
    ),
    applications=(
        A(
            "Senior Marketing Manager", "Liffeyside Software", "Dublin", "IE", "technology",
            (70_000, 85_000, "EUR", "year"), "hybrid", "job_board", ((APPLIED, 163), (REJECTED, 150)),
        ),
        A(
            "Head of Content", "Clontarf Media Group", "Dublin", "IE", "marketing-media",
            (75_000, 90_000, "EUR", "year"), "hybrid", "company_site",
            ((APPLIED, 155), (SCREENING, 147), (INTERVIEWING, 138), (REJECTED, 126)),
        ),
        A(
            "Marketing Manager, EMEA", "Ballsbridge Analytics", "Dublin", "IE", "technology",
            (72_000, 84_000, "EUR", "year"), "remote", "recruiter", ((APPLIED, 110), (GHOSTED, 70)),
        ),
        A(
            "Brand Manager", "Wicklow Foods", "Bray", "IE", "retail-ecommerce",
            (60_000, 70_000, "EUR", "year"), "on_site", "job_board",
            ((APPLIED, 98), (SCREENING, 90), (WITHDRAWN, 84)),
            note="Withdrew: the range tops out below what I earn now.",
        ),
        A(
            "Content Marketing Manager", "Liberties Learning", "Dublin", "IE", "education",
            (58_000, 68_000, "EUR", "year"), "hybrid", "job_board", ((SAVED, 80), (WITHDRAWN, 35)),
        ),
        A(
            "Product Marketing Manager", "Harcourt Payments", "Dublin", "IE", "finance-insurance",
            (80_000, 95_000, "EUR", "year"), "hybrid", "referral",
            ((APPLIED, 72), (SCREENING, 64), (INTERVIEWING, 55), (INTERVIEWING, 46), (OFFER, 40), (ACCEPTED, 36)),
            offer=88_000,
            contact=("Ciarán Byrne", "head of marketing", "ciaran.byrne@harcourt-payments.example"),
            note="Start date agreed for the first Monday of next month.",
        ),
        A(
            "Growth Marketing Lead", "Shannonside Travel", "Limerick", "IE", "transportation-logistics",
            (78_000, 92_000, "EUR", "year"), "remote", "job_board",
            ((APPLIED, 60), (SCREENING, 52), (INTERVIEWING, 44), (WITHDRAWN, 35)),
        ),
        A(
            "Demand Generation Manager", "Grand Canal Cloud", "Dublin", "IE", "technology",
            (75_000, 88_000, "EUR", "year"), "hybrid", "job_board", ((APPLIED, 50), (WITHDRAWN, 35)),
        ),
    ),
)  # fmt: skip

WEI_LING = DemoSeeker(
    email="weiling.tan@example.com",
    full_name="Tan Wei Ling",
    joined_days_ago=140,
    utc_offset_hours=8,
    headline="Supply chain analyst",
    country="SG",
    currency="SGD",
    years_experience=5,
    cv="""Tan Wei Ling
Supply chain analyst · Singapore · weiling.tan@example.com

Summary
Supply chain analyst with five years in regional distribution: demand planning, inventory and the data behind them.

Experience
Supply Chain Analyst, Pasir Panjang Distribution — 2021 – present
- Forecasts for 1,200 SKUs across six ASEAN markets; forecast error down from 38 % to 24 %
- Power BI dashboards for stock cover and service levels
Logistics Executive, Keppel Bay Shipping Agency — 2019 – 2021
- Booked and tracked sea freight; weekly reports for key accounts

Education
BBA (Operations Management), Nanyang Technological University — 2019

Skills
Demand planning, Inventory management, SQL, Python, Power BI, Excel, SAP

Languages
English (native), Mandarin (native), Malay (basic)
""",
    description=(
        "{company} is hiring: {title}. Help us keep our stock where our customers need it.\n\n"
        "Requirements:\n- 3+ years in supply chain or logistics\n- Strong Excel and SQL\n- SAP or another ERP\n\n"
        "Nice to have:\n- Python\n- Power BI or Tableau"
    ),
    applications=(
        A(
            "Supply Chain Analyst", "Merlion Cold Chain", "Singapore", "SG", "transportation-logistics",
            (5_500, 7_000, "SGD", "month"), "on_site", "job_board", ((APPLIED, 133), (REJECTED, 124)),
        ),
        A(
            "Demand Planner", "Kallang Consumer Goods", "Singapore", "SG", "retail-ecommerce",
            (5_000, 6_500, "SGD", "month"), "hybrid", "company_site",
            ((APPLIED, 126), (SCREENING, 118), (INTERVIEWING, 109), (REJECTED, 98)),
        ),
        A(
            "Procurement Analyst", "Pioneer Sector Chemicals", "Singapore", "SG", "manufacturing-engineering",
            (5_200, 6_800, "SGD", "month"), "on_site", "job_board", ((APPLIED, 100), (GHOSTED, 62)),
        ),
        A(
            "Logistics Data Analyst", "Seletar Aero Logistics", "Singapore", "SG", "transportation-logistics",
            (6_000, 7_500, "SGD", "month"), "hybrid", "recruiter",
            ((APPLIED, 80), (SCREENING, 71), (WITHDRAWN, 65)),
            note="Withdrew: rotating shifts at the airport hub.",
        ),
        A(
            "Inventory Analyst", "Orchard Lane Retail", "Singapore", "SG", "retail-ecommerce",
            (4_800, 6_000, "SGD", "month"), "on_site", "job_board", ((APPLIED, 55), (REJECTED, 47)),
        ),
        A(
            "Senior Supply Chain Analyst", "Tanjong Pagar Logistics", "Singapore", "SG", "transportation-logistics",
            (6_500, 8_500, "SGD", "month"), "hybrid", "recruiter",
            ((APPLIED, 40), (SCREENING, 33), (INTERVIEWING, 24), (INTERVIEWING, 14), (OFFER, 3)),
            offer=91_200,
            contact=("Rajesh Kumar", "recruiter", "rajesh.kumar@tanjongpagar-logistics.example"),
            note="Offer: SGD 7,600 a month (91,200 a year) plus a one-month bonus. Reply by Friday.",
            task=("Compare the offer with the Bukit Timah process", 3),
        ),
        A(
            "Supply Chain Planner", "Bukit Timah Medical Supplies", "Singapore", "SG", "healthcare",
            (5_800, 7_200, "SGD", "month"), "hybrid", "referral", ((APPLIED, 20), (SCREENING, 12)),
        ),
        A(
            "Operations Analyst", "Marina Bay Payments", "Singapore", "SG", "finance-insurance",
            (6_500, 8_000, "SGD", "month"), "hybrid", "job_board", ((SAVED, 4),),
        ),
    ),
)  # fmt: skip

MARISOL = DemoSeeker(
    email="marisol.vega@example.com",
    full_name="Marisol Vega",
    joined_days_ago=160,
    utc_offset_hours=-7,
    headline="Senior accountant, CPA",
    country="US",
    currency="USD",
    years_experience=7,
    cv="""Marisol Vega, CPA
Senior accountant · Phoenix, AZ · marisol.vega@example.com

Summary
CPA with seven years in corporate accounting: month-end close, reconciliations and audits.

Experience
Senior Accountant, Paloma Home Builders — 2021 – present
- Own the month-end close for four entities; close shortened from ten days to six
- Prepared the schedules for two clean annual audits
Staff Accountant, Arcadia Dental Group — 2018 – 2021
- Accounts payable, bank reconciliations and fixed assets

Education
BS Accountancy, Arizona State University — 2018

Skills
GAAP, Month-end close, Reconciliations, NetSuite, QuickBooks, Excel, Audit preparation

Languages
English (native), Spanish (native)
""",
    description=(
        "Join {company} as our {title} and keep our books accurate and our close on time.\n\n"
        "Requirements:\n- 4+ years of corporate accounting\n- US GAAP\n- Advanced Excel\n\n"
        "Nice to have:\n- CPA\n- NetSuite"
    ),
    applications=(
        A(
            "Senior Accountant", "Saguaro Health Partners", "Phoenix, AZ", "US", "healthcare",
            (82_000, 95_000, "USD", "year"), "hybrid", "job_board", ((APPLIED, 152), (REJECTED, 140)),
        ),
        A(
            "Staff Accountant II", "Camelback Property Group", "Scottsdale, AZ", "US", "finance-insurance",
            (65_000, 75_000, "USD", "year"), "on_site", "job_board", ((APPLIED, 147), (GHOSTED, 110)),
        ),
        A(
            "Accounting Manager", "Sonoran Solar", "Tempe, AZ", "US", "energy-utilities",
            (105_000, 125_000, "USD", "year"), "on_site", "recruiter",
            ((APPLIED, 131), (SCREENING, 124), (INTERVIEWING, 115), (INTERVIEWING, 106), (REJECTED, 97)),
            note="Feedback: they went with someone who has managed a team before.",
        ),
        A(
            "Senior Accountant", "Desert Ridge Credit Union", "Phoenix, AZ", "US", "finance-insurance",
            (80_000, 92_000, "USD", "year"), "hybrid", "referral", ((APPLIED, 101), (SCREENING, 94), (REJECTED, 88)),
        ),
        A(
            "Revenue Accountant", "Copper State Software", "Tempe, AZ", "US", "technology",
            (85_000, 100_000, "USD", "year"), "remote", "job_board", ((APPLIED, 86), (GHOSTED, 52)),
        ),
        A(
            "Senior Accountant", "Estrella Logistics", "Goodyear, AZ", "US", "transportation-logistics",
            (78_000, 90_000, "USD", "year"), "on_site", "job_board", ((APPLIED, 64), (REJECTED, 38)),
        ),
        A(
            "Accounting Manager", "Papago Foods", "Phoenix, AZ", "US", "retail-ecommerce",
            (95_000, 110_000, "USD", "year"), "hybrid", "company_site", ((APPLIED, 60),),
        ),
    ),
)  # fmt: skip

# The consumer site's demo seekers, by e-mail: the first two are the README's logins.
DEMO_SEEKERS = {seeker.email: seeker for seeker in (SAM, ALEX, AOIFE, WEI_LING, MARISOL)}
