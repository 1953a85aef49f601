"""What each reference data source is, its licence and the attribution its licence asks for.

The texts here are shown on the public data-sources page. The attribution sentences are the wording the licensors
ask for: they are shown exactly, in English, in every language of the site (not translated).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Source:
    key: str
    name: str | Promise
    description: str | Promise
    folder: str  # under data/reference
    url: str
    licence: str | Promise
    licence_url: str
    attribution: str | Promise
    datasets: tuple[str, ...]  # ReferenceDataset names loaded from it; empty when kept as files only


SOURCES: tuple[Source, ...] = (
    Source(
        key="onet",
        name=_("O*NET 29.2 Database"),
        description=_(
            "US occupations with their descriptions, alternate and reported job titles, job zones and the technology "
            "skills used in each occupation. Used for job-title normalisation and CV-to-job keyword matching."
        ),
        folder="onet_29_2",
        url="https://www.onetcenter.org/database.html",
        licence="CC BY 4.0",
        licence_url="https://creativecommons.org/licenses/by/4.0/",
        attribution=(
            "This product includes information from the O*NET 29.2 Database by the U.S. Department of Labor, "
            "Employment and Training Administration (USDOL/ETA). Used under the CC BY 4.0 license. O*NET® is a "
            "trademark of USDOL/ETA."
        ),
        datasets=("onet_occupations", "onet_technology_skills"),
    ),
    Source(
        key="esco",
        name=_("ESCO classification (European Skills, Competences, Qualifications and Occupations)"),
        description=_(
            "European occupations mapped to ISCO-08 with their alternative labels, and ESCO skill texts. Used for "
            "European job titles and skill synonyms."
        ),
        folder="esco_taxonomy",
        url="https://esco.ec.europa.eu/",
        licence=_("European Commission reuse policy (Decision 2011/833/EU)"),
        licence_url="https://eur-lex.europa.eu/eli/dec/2011/833/oj",
        attribution=(
            "ESCO – European Commission. This service uses the ESCO classification of the European Commission, "
            "reused under Commission Decision 2011/833/EU on the reuse of Commission documents."
        ),
        datasets=("esco_occupations", "esco_skills"),
    ),
    Source(
        key="esco_multilingual",
        name=_("ESCO occupation labels in German, French and Spanish"),
        description=_(
            "ESCO's own names of occupations in the languages CVPlus ships, and the O*NET occupations they match by "
            "English name. Used to show occupation and skill names in your language."
        ),
        folder="esco_multilingual",
        url="https://esco.ec.europa.eu/",
        licence=_("European Commission reuse policy (Decision 2011/833/EU)"),
        licence_url="https://eur-lex.europa.eu/eli/dec/2011/833/oj",
        attribution="ESCO – European Commission. This service uses the ESCO classification of the European Commission.",
        datasets=("esco_labels",),
    ),
    Source(
        key="jobtag",
        name=_("job tag (職業情報提供サイト) occupation titles"),
        description=_(
            "Japanese job titles from the Japanese Ministry of Health, Labour and Welfare's occupation database, with "
            "the O*NET occupation CVPlus reads each as. Used to read Japanese CVs and postings."
        ),
        folder="skill_concepts",
        url="https://shigoto.mhlw.go.jp/User/download",
        licence=_("job tag terms of use (secondary use with attribution)"),
        licence_url="https://shigoto.mhlw.go.jp/User/tos",
        attribution=(
            "『職業情報データベース 簡易版ダウンロードデータ ver.7.00』職業情報提供サイト（job tag）より "
            "2026年05月04日にダウンロード（https://shigoto.mhlw.go.jp/User/download）を加工して作成"
        ),
        datasets=(),
    ),
    Source(
        key="bls_oews",
        name=_("BLS Occupational Employment and Wage Statistics, May 2025"),
        description=_(
            "US wage percentiles (10th to 90th) and employment by occupation, nationally by industry sector and by "
            "state. Used as salary priors and bands for North America."
        ),
        folder="bls_oews_2025",
        url="https://www.bls.gov/oes/",
        licence=_("Public domain (US federal government work)"),
        licence_url="https://www.bls.gov/opub/copyright-information.htm",
        attribution=("Source: U.S. Bureau of Labor Statistics, Occupational Employment and Wage Statistics."),
        datasets=("bls_oews_2025",),
    ),
    Source(
        key="aijobs",
        name=_("aijobs.net salary survey"),
        description=_(
            "Anonymous salaries of AI, machine-learning and data jobs, 2020-2023, and of DevOps jobs to 2022 "
            "(devops-jobs.net). Used to train the salary model."
        ),
        folder="aijobs_salaries",
        url="https://aijobs.net/salaries/",
        licence="CC0 1.0",
        licence_url="https://creativecommons.org/publicdomain/zero/1.0/",
        attribution=("Salary data from aijobs.net (https://aijobs.net/salaries/), dedicated to the public domain."),
        datasets=("salary_survey_aijobs", "salary_survey_devops"),
    ),
    Source(
        key="infosec",
        name=_("isecjobs.com salary survey"),
        description=_("Anonymous salaries of information-security jobs, 2020-2023. Used to train the salary model."),
        folder="infosec_salaries",
        url="https://isecjobs.com/salaries/",
        licence="CC0 1.0",
        licence_url="https://creativecommons.org/publicdomain/zero/1.0/",
        attribution=("Salary data from isecjobs.com (https://isecjobs.com/salaries/), dedicated to the public domain."),
        datasets=("salary_survey_infosec",),
    ),
    Source(
        key="cldr",
        name=_("Unicode CLDR"),
        description=_("Country and currency names in every language of the product, and current legal tender."),
        folder="cldr_countries",
        url="https://cldr.unicode.org/",
        licence=_("Unicode License v3"),
        licence_url="https://www.unicode.org/license.txt",
        attribution=("Country and currency data: Unicode CLDR. Copyright © 1991-2025 Unicode, Inc."),
        datasets=("cldr_countries",),
    ),
    Source(
        key="gsa_time_to_hire",
        name=_("US GSA time-to-hire records, 2004-2010"),
        description=_(
            "Vacancy-level hiring timelines of a US federal agency. Kept as a file for the time-to-hire prior; not "
            "loaded into the database."
        ),
        folder="gsa_time_to_hire",
        url="https://github.com/kaastha-nl/Time-to-Hire-Regression-Model",
        licence=_("Public domain (US federal government record; provenance inferred)"),
        licence_url="https://www.copyright.gov/title17/92chap1.html#105",
        attribution=("Source: U.S. General Services Administration."),
        datasets=(),
    ),
    Source(
        key="campus_placement",
        name=_("Campus placement outcomes"),
        description=_(
            "Placement outcomes of one MBA class. Kept as a file to check outcome classifiers; not loaded into the "
            "database and never used for predictions shown to users."
        ),
        folder="campus_placement",
        url="https://www.kaggle.com/datasets/benroshan/factors-affecting-campus-placement",
        licence=_("CC0 1.0 (as labelled by a mirror; unverified)"),
        licence_url="https://creativecommons.org/publicdomain/zero/1.0/",
        attribution=("Data: Ben Roshan D, Factors affecting campus placement."),
        datasets=(),
    ),
    *(
        Source(
            key=key,
            name=name,
            description=description,
            folder="job_search_base_rates",
            url=url,
            licence=_("Published figures, quoted with attribution"),
            licence_url=url,
            attribution=attribution,
            datasets=(),
        )
        for key, name, description, url, attribution in (
            (
                "base_rates_jobvite_2014",
                _("Jobvite recruiting benchmarks, 2014 (summary by Together Abroad)"),
                _(
                    "Share of applicants invited to an interview, offers per vacancy, and how often each application "
                    "channel leads to a hire. Used for the published prior of the interview and offer odds."
                ),
                "https://togetherabroad.nl/blogs/3/sk6cbf-most-vacancies-are-filled-through-referrals",
                'Source: Jobvite, as summarised by Together Abroad, "Most vacancies are filled through referrals".',
            ),
            (
                "base_rates_jobvite_2018",
                _("Jobvite 2018 Recruiting Benchmark Report (reported by Hunt Scanlon Media)"),
                _("Share of job interviews that resulted in offers, 2015-2017. Used for the prior of the offer odds."),
                "https://huntscanlon.com/benchmark-metrics-to-guide-your-recruitment-strategy/",
                'Jobvite, 2018 Recruiting Benchmark Report, as reported by Hunt Scanlon Media, "Benchmark Metrics to '
                'Guide Your Recruitment Strategy" (2018).',
            ),
            (
                "base_rates_lever",
                _("Lever recruiting data on referrals (reported by HR Dive)"),
                _(
                    "Candidates per hire by how the candidate came in: referral, agency, sourced, careers site or job "
                    "posting. Used for the channel priors of the interview odds."
                ),
                "http://hrdive.com/news/why-employee-referral-success-rates-continue-to-impress/427587",
                'Lever, as reported by HR Dive, "Why employee referral success rates continue to impress".',
            ),
            (
                "base_rates_hci",
                _("Human Capital Institute, Talent Pulse: Making Referral Programs Count"),
                _(
                    "How much more likely referred candidates are to be hired. Used for the width of the referral "
                    "prior."
                ),
                "https://www.jobvite.com/talent-pulse/",
                'Human Capital Institute, "Talent Pulse: Making Referral Programs Count".',
            ),
            (
                "base_rates_talentworks",
                _("TalentWorks, The Science of the Job Search, Part IV (2018)"),
                _(
                    "Applicants interviewed and offers made for one posting. Used only for the width of the interview "
                    "and offer priors."
                ),
                "https://talent.works/blog/2018/04/10/the-science-of-the-job-search-part-iv-why-is-it-so-hard-to-get-a-job/",
                'TalentWorks, "The Science of the Job Search, Part IV: Why Is It So Hard To Get a Job?" (2018).',
            ),
        )
    ),
)


def source_for_dataset(name: str) -> Source:
    return next(source for source in SOURCES if name in source.datasets)
