"""Sample CVs for the CV conventions tests (invented people), and loading the rules they are checked against."""

from __future__ import annotations

from market.cv_checks import CVFacts
from market.cv_rules import EnsureResult, cv_rules_ensure
from tracking.cv.sections import cv_sections_split

US_CV = """Jordan Miller
Chicago, IL · jordan.miller@example.com · (312) 555-0142
Date of birth: 04/17/1988
Marital status: Married, two children

Summary
Backend engineer with nine years of Python and PostgreSQL.

Experience
Senior Software Engineer, Lakeside Logistics — 2019 – present
- Built the routing service in Python
Software Engineer, Prairie Bank — 2015 – 2019

Education
BS Computer Science, University of Illinois — 2015

References available upon request
"""

US_CV_CLEAN = """Jordan Miller
Chicago, IL · jordan.miller@example.com · (312) 555-0142

Summary
Backend engineer with nine years of Python and PostgreSQL.

Experience
Senior Software Engineer, Lakeside Logistics — 2019 – present

Education
BS Computer Science, University of Illinois — 2015
"""

DE_CV = """Lebenslauf
Anna Schneider
Hauptstraße 5, 80331 München · anna.schneider@example.de · +49 89 1234567

Berufserfahrung
03/2019 – heute  Projektleiterin, Isar Maschinenbau GmbH
09/2014 – 02/2019  Ingenieurin, Alpen Technik AG

Ausbildung
2008 – 2014  Technische Universität München, M.Sc. Maschinenbau

Sprachen
Deutsch – Muttersprache
Englisch – C1
Französisch – B1
"""

FR_CV_NO_LEVELS = """Camille Durand
Lyon · camille.durand@example.fr

Expérience professionnelle
2018 – 2024  Chargée de marketing, Rhône Média

Formation
2016  Master Marketing, Université Lyon 3

Langues
Anglais
Espagnol
"""

FR_CV_LEVELS = FR_CV_NO_LEVELS.replace("Anglais\nEspagnol", "Anglais : C1\nEspagnol : B2")

JP_CV = """履歴書
山田 花子
生年月日 1992年5月10日（満34歳）
配偶者 有

学歴・職歴
平成23年3月 東京都立青山高等学校 卒業
2015年3月 早稲田大学 商学部 卒業
2015年4月 株式会社サンプル商事 入社

語学
日本語
英語（TOEIC 860点）
"""

JP_CV_WITHOUT_BIRTH_DATE = """職務経歴書
山田 花子

職務要約
法人営業として8年間、製造業のお客様を担当。

職務経歴
2015年4月～現在 株式会社サンプル商事 法人営業部
"""

AU_CV = """Liam Walker
Melbourne VIC · liam.walker@example.com.au

Summary
Registered nurse with six years in emergency care.

Experience
Emergency Nurse, Yarra Hospital — 2019 – present
"""

IN_CV = """Priya Sharma
Bengaluru · priya.sharma@example.in

Summary
Data analyst with five years in retail analytics.

Experience
Data Analyst, Deccan Retail — 2020 – present

Personal details
Father's Name: R. Sharma
Date of Birth: 14-02-1994

Declaration
I hereby declare that the above information is true to the best of my knowledge.
"""

SG_CV = """Tan Wei Ling
Singapore · weiling.tan@example.sg

Summary
Accountant with seven years in audit.

Experience
Senior Associate, Marina Audit LLP — 2018 – present
"""


def facts(text: str, *, pages: int | None = None) -> CVFacts:
    """The facts the checks read, with the sections the CV parser finds (tracking.cv.sections)."""
    return CVFacts(text=text, parsed={"sections": cv_sections_split(text)}, pages=pages)


def cv_rules_load() -> EnsureResult:
    """The real countries, regions and currencies (data/reference/cldr_countries) and the catalogue's rules, in the
    test's transaction."""
    from market.services import reference_dataset_load

    reference_dataset_load(name="cldr_countries", force=True)
    return cv_rules_ensure()
