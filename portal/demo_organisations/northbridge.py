"""Northbridge University Career Centre (Chicago): new engineering graduates, an MBA class and alumni changing
careers, applying to US technology, finance, healthcare and consulting employers. Employers are invented."""

from __future__ import annotations

from portal.demo_histories import CohortPlan, DemoOrganisation, Employer, Field, Person, Role

E = Employer
# Industries (market.industries codes), for the roles only some employers have.
TECHNOLOGY, FINANCE, HEALTHCARE, EDUCATION, PUBLIC = (
    "technology",
    "finance-insurance",
    "healthcare",
    "education",
    "public-sector",
)
MANUFACTURING, ENERGY, LOGISTICS = "manufacturing-engineering", "energy-utilities", "transportation-logistics"
COBALT = E("Cobalt Ridge Software", "Seattle, WA", "US", "technology", 1.1)
LUMENFIELD = E("Lumenfield", "San Francisco, CA", "US", "technology", 1.2)
BARTON = E("Barton Creek Analytics", "Austin, TX", "US", "technology", 1.0)
HARBORVIEW = E("Harborview Capital", "New York, NY", "US", "finance-insurance", 1.15)
COPPERLINE = E("Copperline Payments", "New York, NY", "US", "finance-insurance", 1.1)
GRANITE = E("Granite State Insurance", "Boston, MA", "US", "finance-insurance", 0.95)
MERIDIAN = E("Meridian Health Systems", "Chicago, IL", "US", "healthcare", 0.95)
LAKESHORE = E("Lakeshore University Hospital", "Chicago, IL", "US", "healthcare", 0.9)
EVERGREEN = E("Evergreen Medical Devices", "Minneapolis, MN", "US", "healthcare", 1.0)
ATLAS = E("Atlas Freight Technologies", "Atlanta, GA", "US", "transportation-logistics", 0.95)
BLUEWATER = E("Bluewater Robotics", "Pittsburgh, PA", "US", "manufacturing-engineering", 0.95)
SUMMIT = E("Summit Grid Energy", "Denver, CO", "US", "energy-utilities", 0.95)
WHITMORE = E("Whitmore & Hale Consulting", "Chicago, IL", "US", "professional-services", 1.1)
LARKSPUR = E("Larkspur Partners", "Boston, MA", "US", "professional-services", 1.05)
CRESTLINE = E("Crestline Consumer Brands", "Cincinnati, OH", "US", "retail-ecommerce", 0.95)
BRIGHTPATH = E("Brightpath Learning", "Chicago, IL", "US", "education", 0.9)
FRANKLIN = E("Franklin County Government", "Columbus, OH", "US", "public-sector", 0.85)

SOFTWARE = Field(
    key="software",
    roles=(
        Role("Software Engineer I", 95_000, 125_000),
        Role("New Grad Software Engineer", 105_000, 140_000),
        Role("Backend Engineer", 100_000, 130_000),
        Role("Data Engineer I", 92_000, 118_000),
        Role("Associate Site Reliability Engineer", 98_000, 125_000),
        Role("Embedded Software Engineer", 90_000, 115_000, (MANUFACTURING, HEALTHCARE, ENERGY, LOGISTICS)),
    ),
    employers=(COBALT, LUMENFIELD, BARTON, HARBORVIEW, COPPERLINE, MERIDIAN, EVERGREEN, ATLAS, BLUEWATER, SUMMIT),
    description=(
        "Join {company} as our {title}, in a team that builds and runs the services our customers rely on every "
        "day.\n\nWhat you will do:\n- Design, test and ship features with a senior engineer as your mentor\n"
        "- Take part in code reviews and, after onboarding, the on-call rotation\n\nRequirements:\n"
        "- B.S. in Computer Science, Computer Engineering or a related field\n- Experience with Python, Java or Go\n"
        "- SQL and relational databases\n- Git and automated testing\n\nNice to have:\n- AWS or GCP\n"
        "- Docker and Kubernetes\n- An internship in software engineering"
    ),
    cv=(
        "{name}\n{headline} · {city} · {email}\n\nSummary\n{summary}\n\nEducation\n"
        "B.S. {degree}, Northbridge University — May 2026\nGPA {gpa}; coursework: {coursework}\n\nExperience\n"
        "{intern_title}, {intern_company} — Summer 2025\n- {intern_bullet}\n"
        "Teaching Assistant, Data Structures — Northbridge University, 2024 – 2026\n"
        "- Held weekly office hours for 120 students; graded Java programming assignments\n\nProjects\n{project}\n\n"
        "Skills\n{skills}\n\nLanguages\n{languages}\n"
    ),
    cv_choices={
        "headline": ("Backend engineer", "Platform engineer", "Data engineer"),
        "summary": (
            "Recent computer science graduate who enjoys backend systems and clear, well-tested code.",
            "Engineer with two internships in cloud services, looking for a backend or platform role.",
            "Graduate in computer engineering with a taste for embedded systems and data pipelines.",
        ),
        "degree": ("Computer Science", "Computer Science and Mathematics", "Computer Engineering"),
        "gpa": ("3.4", "3.5", "3.6", "3.7", "3.8", "3.9"),
        "coursework": (
            "Operating Systems, Databases, Distributed Systems",
            "Algorithms, Computer Networks, Machine Learning",
            "Embedded Systems, Computer Architecture, Databases",
        ),
        "intern_title": ("Software Engineering Intern", "Platform Engineering Intern", "Data Engineering Intern"),
        "intern_company": ("Midwest Mutual Insurance", "Lakeshore Logistics", "Prairie Health Partners"),
        "intern_bullet": (
            "Built a REST API in Python and PostgreSQL used by three internal teams",
            "Wrote Terraform modules and CI pipelines for a Kubernetes service",
            "Moved nightly batch jobs to Apache Airflow; cut failed runs by 40 %",
        ),
        "project": (
            "Campus Eats — a React and Node.js ordering app used by 800 students",
            "Senior design: a Raspberry Pi sensor network streaming to AWS IoT",
            "Open-source contributor to a Python data-validation library",
        ),
        "skills": (
            "Python, Java, SQL, PostgreSQL, Docker, Git, AWS",
            "Go, Python, Kubernetes, Terraform, Linux, PostgreSQL",
            "C, C++, Python, embedded Linux, Git, Jenkins",
            "Python, SQL, Apache Airflow, dbt, Apache Spark, Git",
        ),
        "languages": ("English (native)",),
    },
    remote_share=0.15,
    cv_linked=(("headline", "summary", "degree", "intern_title", "intern_bullet"),),
)

MBA = Field(
    key="mba",
    roles=(
        Role("Product Manager", 125_000, 160_000),
        Role("Senior Associate, Corporate Strategy", 120_000, 150_000),
        Role("Management Consultant", 140_000, 175_000),
        Role("Finance Manager", 110_000, 140_000),
        Role("Product Marketing Manager", 115_000, 145_000),
        Role("Business Operations Manager", 110_000, 140_000),
    ),
    employers=(WHITMORE, LARKSPUR, HARBORVIEW, LUMENFIELD, COBALT, MERIDIAN, EVERGREEN, CRESTLINE, GRANITE, COPPERLINE),
    description=(
        "{company} is hiring: {title}. You will work with senior leadership on growth, pricing and operations.\n\n"
        "What you will do:\n- Own a roadmap or a portfolio of strategic projects end to end\n"
        "- Build the financial case and present it to executives\n\nRequirements:\n- MBA or equivalent experience\n"
        "- 3+ years in consulting, finance, product or operations\n- Strong Excel and financial modelling\n\n"
        "Nice to have:\n- SQL or Tableau\n- Experience in healthcare or financial services"
    ),
    cv=(
        "{name}\n{headline} · {city} · {email}\n\nSummary\n{summary}\n\nEducation\n"
        "MBA, Northbridge University School of Business — May 2026 ({concentration})\n"
        "B.A. {undergrad}, {undergrad_school} — 2018\n\nExperience\n{pre_title}, {pre_company} — 2018 – 2024\n"
        "- {pre_bullet}\nSummer Associate, {summer_company} — Summer 2025\n- {summer_bullet}\n\nSkills\n{skills}\n\n"
        "Languages\n{languages}\n"
    ),
    cv_choices={
        "headline": ("MBA, product management", "MBA, strategy and operations", "MBA, finance"),
        "summary": (
            "MBA graduate with six years in operations, moving into product management.",
            "Former analyst turned strategist: pricing, market entry and the financial case behind them.",
            "Finance professional with an MBA, looking for corporate strategy or FP&A leadership roles.",
        ),
        "concentration": ("Strategy", "Finance", "Marketing", "Operations and Analytics"),
        "undergrad": ("Economics", "Political Science", "Mechanical Engineering", "Biology"),
        "undergrad_school": ("University of Michigan", "Ohio State University", "University of Illinois", "Purdue"),
        "pre_title": ("Operations Manager", "Senior Analyst", "Financial Analyst"),
        "pre_company": ("Great Lakes Freight", "Carver & Lowe Advisory", "Midwest Mutual Insurance"),
        "pre_bullet": (
            "Ran a team of 12 and cut order-to-delivery time from 9 to 5 days",
            "Led a pricing review across 40 product lines that added $3.2M in annual margin",
            "Built the three-statement model behind a $60M acquisition",
        ),
        "summer_company": ("Whitmore & Hale Consulting", "Meridian Health Systems", "Lumenfield"),
        "summer_bullet": (
            "Sized a new telehealth market and presented the entry plan to the COO",
            "Wrote the requirements for a self-service onboarding flow; shipped in 8 weeks",
        ),
        "skills": (
            "Financial modelling, Excel, SQL, Tableau, stakeholder management",
            "Product discovery, A/B testing, SQL, Jira, pricing strategy",
        ),
        "languages": ("English (native)",),
    },
    remote_share=0.1,
    cv_linked=(("headline", "summary", "pre_title", "pre_company", "pre_bullet"),),
)

CHANGERS = Field(
    key="changers",
    roles=(
        Role("Data Analyst", 65_000, 85_000),
        Role("UX Designer", 75_000, 100_000),
        Role("Customer Success Manager", 65_000, 85_000, (TECHNOLOGY, FINANCE, EDUCATION, LOGISTICS)),
        Role("Instructional Designer", 68_000, 88_000, (EDUCATION, HEALTHCARE, FINANCE, PUBLIC, TECHNOLOGY)),
        Role("Clinical Informatics Analyst", 75_000, 95_000, (HEALTHCARE,)),
        Role("Business Analyst", 70_000, 90_000),
    ),
    employers=(MERIDIAN, LAKESHORE, BARTON, CRESTLINE, BRIGHTPATH, GRANITE, ATLAS, FRANKLIN, COPPERLINE, SUMMIT),
    description=(
        "{company} is hiring: {title}. You will turn questions from the business into answers people can act on.\n\n"
        "What you will do:\n- Work with teams across the organisation to understand their needs\n"
        "- Build reports, prototypes or training material and improve them with feedback\n\nRequirements:\n"
        "- 2+ years of professional experience in any field\n- Excel or Google Sheets at an advanced level\n"
        "- Clear written and spoken communication\n\nNice to have:\n- SQL or Tableau\n- A certificate in the field"
    ),
    cv=(
        "{name}\n{headline} · {city} · {email}\n\nSummary\n{summary}\n\nExperience\n{past_title}, {past_company} — "
        "{past_years}\n- {past_bullet}\n\nEducation\n{degree}, Northbridge University — {grad_year}\n"
        "{certificate}\n\nSkills\n{skills}\n\nLanguages\n{languages}\n"
    ),
    cv_choices={
        "headline": ("Clinical informatics analyst", "Instructional designer", "Data analyst", "UX designer"),
        "summary": (
            "Registered nurse of eight years moving into clinical informatics.",
            "High-school teacher turned instructional designer; built two online courses for 300 learners.",
            "Retail store manager moving into data analysis, with a certificate in data analytics.",
            "Hospitality manager retraining as a UX designer; portfolio of three case studies.",
        ),
        "past_title": ("Registered Nurse", "High School Teacher", "Store Manager", "Front Office Manager"),
        "past_company": ("Lakeshore University Hospital", "Chicago Public Schools", "Crestline Outlet", "Palmer Hotel"),
        "past_years": ("2017 – 2025", "2014 – 2025", "2018 – 2025", "2016 – 2025"),
        "past_bullet": (
            "Trained 20 colleagues on a new electronic health record system",
            "Designed the school's first blended-learning course in biology",
            "Ran weekly sales reporting in Excel for a $6M store",
            "Redesigned guest check-in with the front-desk team; queues at peak times halved",
        ),
        "degree": ("B.S. Nursing", "B.A. Education", "B.S. Business Administration", "B.A. Communication"),
        "grad_year": ("2016", "2013", "2016", "2015"),
        "certificate": (
            "Health Informatics Certificate, Northbridge Continuing Studies — 2026",
            "Instructional Design Certificate, Northbridge Continuing Studies — 2026",
            "Certificate in Data Analytics, Northbridge Continuing Studies — 2026",
            "UX Design Certificate, Northbridge Continuing Studies — 2026",
        ),
        "skills": (
            "Epic EHR, clinical workflows, Excel, SQL (basic), HIPAA",
            "Articulate Storyline, Canvas LMS, curriculum design",
            "Excel, SQL, Tableau, Python (basic), data cleaning",
            "Figma, user research, prototyping, accessibility (WCAG)",
        ),
        "languages": ("English (native)",),
    },
    remote_share=0.3,
    cv_linked=(
        (
            "headline",
            "summary",
            "past_title",
            "past_company",
            "past_years",
            "past_bullet",
            "degree",
            "grad_year",
            "certificate",
            "skills",
        ),
    ),
)

P = Person
PEOPLE = (
    # Class of 2026 — Engineering
    P("Aaliyah Johnson", "aaliyah.johnson@northbridge.example", "Chicago, IL"),
    P(
        "Marcus Chen",
        "marcus.chen@northbridge.example",
        "Naperville, IL",
        "English (native), Mandarin (conversational)",
    ),
    P("Sofia Ramirez", "sofia.ramirez@northbridge.example", "Chicago, IL", "English (native), Spanish (native)"),
    P("Ethan Walsh", "ethan.walsh@northbridge.example", "Evanston, IL"),
    P("Priyanka Iyer", "priyanka.iyer@northbridge.example", "Schaumburg, IL", "English (native), Tamil, Hindi"),
    P("Jamal Washington", "jamal.washington@northbridge.example", "Chicago, IL"),
    P("Emily Nguyen", "emily.nguyen@northbridge.example", "Oak Park, IL", "English (native), Vietnamese (fluent)"),
    P("Daniel Kim", "daniel.kim@northbridge.example", "Chicago, IL", "English (native), Korean (conversational)"),
    P("Kwame Mensah", "kwame.mensah@northbridge.example", "Chicago, IL", "English (native), Twi"),
    P("Arjun Patel", "arjun.patel@northbridge.example", "Naperville, IL", "English (native), Gujarati"),
    P("Chloe Martin", "chloe.martin@northbridge.example", "Milwaukee, WI"),
    P("Lucas Silva", "lucas.silva@northbridge.example", "Chicago, IL", "English (native), Portuguese (fluent)"),
    P("Meilin Zhang", "meilin.zhang@northbridge.example", "Chicago, IL", "English (fluent), Mandarin (native)"),
    P("Noah Anderson", "noah.anderson@northbridge.example", "Evanston, IL"),
    # MBA Spring 2026
    P("Olivia Bennett", "olivia.bennett@northbridge.example", "Chicago, IL"),
    P("Hannah Goldberg", "hannah.goldberg@northbridge.example", "Skokie, IL"),
    P("Fatima Al-Sayed", "fatima.alsayed@northbridge.example", "Chicago, IL", "English (native), Arabic (fluent)"),
    P("Chinedu Eze", "chinedu.eze@northbridge.example", "Chicago, IL", "English (native), Igbo"),
    P(
        "Isabella Rossi",
        "isabella.rossi@northbridge.example",
        "Chicago, IL",
        "English (native), Italian (conversational)",
    ),
    P("Benjamin Park", "benjamin.park@northbridge.example", "Chicago, IL", "English (native), Korean (fluent)"),
    P("Grace O'Connor", "grace.oconnor@northbridge.example", "Chicago, IL"),
    P("Javier Torres", "javier.torres@northbridge.example", "Chicago, IL", "English (native), Spanish (native)"),
    P("Madison Clark", "madison.clark@northbridge.example", "Indianapolis, IN"),
    # Alumni career changers
    P("DeShawn Carter", "deshawn.carter@northbridge.example", "Gary, IN"),
    P("Leah Cohen", "leah.cohen@northbridge.example", "Chicago, IL", "English (native), Hebrew (conversational)"),
    P("Mateo Hernández", "mateo.hernandez@northbridge.example", "Cicero, IL", "English (native), Spanish (native)"),
    P("Nina Kowalski", "nina.kowalski@northbridge.example", "Chicago, IL", "English (native), Polish (fluent)"),
    P("Tyler Brooks", "tyler.brooks@northbridge.example", "Chicago, IL"),
    P("Zainab Hassan", "zainab.hassan@northbridge.example", "Chicago, IL", "English (fluent), Somali, Arabic"),
    P("Ryan O'Brien", "ryan.obrien@northbridge.example", "Chicago, IL"),
    P("Ava Thompson", "ava.thompson@northbridge.example", "Chicago, IL"),
    P("Diego Morales", "diego.morales@northbridge.example", "Aurora, IL", "English (native), Spanish (native)"),
    P("Layla Ahmed", "layla.ahmed@northbridge.example", "Chicago, IL", "English (native), Urdu"),
)

ORGANISATION = DemoOrganisation(
    seed="cvplus-demo-northbridge",
    currency="USD",
    utc_offset_hours=-6,
    pay_step=1000,
    seats=60,
    price_per_seat_minor=3900,
    coaches=(
        ("andre.coleman@northbridge.example", "Andre Coleman"),
        ("rachel.stein@northbridge.example", "Rachel Stein"),
    ),
    analyst=("analyst@northbridge.example", "Kevin Liu"),
    cohorts=(
        CohortPlan("Class of 2026 — Engineering", "intake", 280, (270, 230), ("software",), (10, 40), 14),
        CohortPlan("MBA Spring 2026", "intake", 220, (215, 180), ("mba",), (7, 25), 9),
        CohortPlan("Alumni career changers", "programme", 170, (165, 92), ("changers",), (7, 21), 10),
    ),
    fields=(SOFTWARE, MBA, CHANGERS),
    people=PEOPLE,
    lead_city="Chicago, IL",
    template_name="Northbridge job search board",
    template_description=(
        "The board every member starts with: the usual stages, three first steps with the career centre, and "
        "follow-up reminders a week after applying."
    ),
    template_tasks=(
        ("Upload your résumé and ask your coach for a review", 3),
        ("Book a mock interview at the career centre", 14),
        ("Reach out to three Northbridge alumni in your target field", 21),
    ),
    goal_title="10 applications a week",
    announcement=(
        "Employer info sessions this month",
        "Twelve employers are coming to campus this month, among them Meridian Health Systems, Whitmore & Hale and "
        "Cobalt Ridge Software. Sign up on the career centre's events page; seats are limited. Bring a printed "
        "résumé and come ten minutes early. Alumni are welcome too.",
    ),
    coach_notes=(
        (
            "offer_pending",
            "Offer in hand. Talked through negotiating: ask for the base at the top of the posted range before "
            "discussing the signing bonus. Decision due by Friday.",
        ),
        (
            "offer_pending",
            "Second-round interview went well. The panel asked about system design at scale; we practised that.",
        ),
        ("landed", "Accepted an offer. Asked whether they would speak to next year's class about their search."),
        (
            "quiet",
            "No application logged in three weeks. Emailed to check in and offered a session to restart the search.",
        ),
        (
            "interview_recent",
            "Strong technical interview, but the behavioural answers ran long. Prepare two STAR stories about "
            "conflict.",
        ),
        ("searching", "Résumé review: quantified the internship bullets and moved projects above coursework."),
        (
            "searching",
            "Applying broadly with few replies. Agreed to aim at 15 roles that fit well rather than 40 that do not, "
            "and to ask two alumni for referrals.",
        ),
        ("", "Mock case interview: clear structure, slow on the math. Booked a second session."),
    ),
    coach_tasks=(
        "Send me the three postings you are most excited about",
        "Rewrite the summary for product roles",
        "Ask two alumni for a referral",
        "Practise a 60-second introduction",
        "Update LinkedIn with the new projects",
    ),
)
