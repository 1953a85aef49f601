"""The CV conventions of each country and each region's default, as content: written to market.CVRule by
market.cv_rules.cv_rules_ensure in every language the site offers.

How the conventions were chosen: each one is a widely documented practice of the country, stated conservatively
("usually", "often", "optional") where practice varies, with its legal or documentary basis in `basis` (for staff;
shown in admin). Anything a CV's text cannot show (a photo) is advice only, never a finding.

An advice text starts with `%(where)s`, filled with a phrase that names the country or region ("In Germany", "Across
Europe") in the same language, so translators keep the right preposition ("Aux États-Unis", "In den USA").

A country with a pack of its own gets only that pack; every other country of a region gets the region's default.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from market.models import CVRule

Topic = CVRule.Topic
Check = CVRule.CheckKind
MUST = CVRule.Severity.MUST
SHOULD = CVRule.Severity.SHOULD
TIP = CVRule.Severity.TIP

# The phrase that opens every advice sentence in place of %(where)s: the translation carries the preposition the
# language needs with that country ("Aux États-Unis", "In den USA", "アメリカでは"). The context is a literal in each
# call so that makemessages extracts it.
COUNTRY_WHERE: dict[str, Promise] = {
    "US": pgettext_lazy("opens a sentence of CV advice", "In the US"),
    "CA": pgettext_lazy("opens a sentence of CV advice", "In Canada"),
    "GB": pgettext_lazy("opens a sentence of CV advice", "In the UK"),
    "DE": pgettext_lazy("opens a sentence of CV advice", "In Germany"),
    "FR": pgettext_lazy("opens a sentence of CV advice", "In France"),
    "ES": pgettext_lazy("opens a sentence of CV advice", "In Spain"),
    "NL": pgettext_lazy("opens a sentence of CV advice", "In the Netherlands"),
    "JP": pgettext_lazy("opens a sentence of CV advice", "In Japan"),
    "AU": pgettext_lazy("opens a sentence of CV advice", "In Australia"),
    "SG": pgettext_lazy("opens a sentence of CV advice", "In Singapore"),
    "IN": pgettext_lazy("opens a sentence of CV advice", "In India"),
}
REGION_WHERE: dict[str, Promise] = {
    "NA": pgettext_lazy("opens a sentence of CV advice", "Across North America"),
    "EU": pgettext_lazy("opens a sentence of CV advice", "Across Europe"),
    "APAC": pgettext_lazy("opens a sentence of CV advice", "Across Asia-Pacific"),
}


@dataclass(frozen=True)
class RuleSpec:
    code: str
    topic: str
    check_kind: str
    severity: str
    title: Promise
    advice: Promise  # starts with %(where)s
    basis: str
    params: dict = field(default_factory=dict)


# ---------------------------------------------------------------------------------------------------------------------
# Texts
# ---------------------------------------------------------------------------------------------------------------------
T_PHOTO = _("Photo")
T_PHOTO_PERSONAL = _("Photo and personal details")
T_DOB = _("Date of birth and age")
T_PERSONAL = _("Personal details")
T_MARITAL = _("Marital status and family")
T_NATIONALITY = _("Nationality")
T_WORK_RIGHTS = _("Right to work")
T_LENGTH = _("Length")
T_SUMMARY = _("Summary at the top")
T_STATEMENT = _("Personal statement")
T_REFERENCES = _("References")
T_REFEREES = _("Referees")
T_CEFR = _("Language levels (CEFR)")
T_LANGUAGE_LEVELS = _("Language levels")
T_EUROPASS = _("Europass")
T_DECLARATION = _("Declaration")
T_LEBENSLAUF = _("Lebenslauf format")
T_RIREKISHO = _("Rirekisho and work history")
T_HANDWRITING = _("Handwritten or typed")
T_CALENDAR = _("Calendar for dates")
T_JLPT = _("Japanese level (JLPT)")

A_PHOTO_NONE = _(
    "%(where)s, leave your photo off your CV: employers usually expect none, and some reject CVs with a photo to "
    "avoid any appearance of bias."
)
A_PHOTO_OPTIONAL = _(
    "%(where)s, a photo is optional: many candidates include a professional one, and many leave it out."
)
A_PHOTO_DE = _(
    "%(where)s, a professional photo is traditional on a Lebenslauf and many applicants still include one, but it is "
    "optional: since the General Equal Treatment Act (AGG) of 2006, employers rarely ask for one."
)
A_PHOTO_JP = _(
    "%(where)s, employers usually expect a photo on the rirekisho: a recent passport-style photo (taken within about "
    "three months), commonly 4 cm high and 3 cm wide, in business attire."
)
A_PHOTO_EU = _(
    "%(where)s, practice on photos differs from country to country: a photo is common in some (such as Germany or "
    "Spain) and unusual in others (such as the UK or Ireland). If unsure, leave it out or use a professional one."
)
A_PHOTO_PERSONAL_NA = _(
    "%(where)s, practice differs: employers in the US and Canada usually expect no photo, date of birth or marital "
    "status on a CV, while in Mexico many candidates include a photo and some personal details. Follow the practice "
    "of the country you apply to."
)
A_PHOTO_PERSONAL_APAC = _(
    "%(where)s, practice differs widely: a photo and personal details such as a date of birth are common in parts of "
    "East and South-East Asia and unusual in Australia and New Zealand. Follow the practice of the country you "
    "apply to."
)
A_DOB_REMOVE = _(
    "%(where)s, remove your date of birth and age: employers do not need them, and age-discrimination law makes most "
    "employers prefer not to see them."
)
A_DOB_OPTIONAL = _(
    "%(where)s, a date of birth is often included in the personal details, but it is optional and many candidates "
    "leave it out."
)
A_DOB_JP = _(
    "%(where)s, the rirekisho has fields for your date of birth and age, and employers usually expect them filled in "
    "(the separate work history, the 職務経歴書, does not need them)."
)
A_DOB_SG = _(
    "%(where)s, your date of birth and age are not needed on a CV: the Tripartite Guidelines on Fair Employment "
    "Practices ask employers to select candidates on merit, not on age. You can leave them out."
)
A_PERSONAL_IN = _(
    "%(where)s, many CVs list a date of birth, marital status and a father's name under personal details. Most "
    "private-sector and multinational employers do not need them, so you can leave them out."
)
A_PERSONAL_EU = _(
    "%(where)s, practice on personal details differs: a date of birth, nationality or marital status is common on "
    "CVs in some countries and unusual in others. None of them is required; include only what you are comfortable "
    "sharing."
)
A_MARITAL_REMOVE = _(
    "%(where)s, leave out your marital status and children: they are not expected on a CV, and employers prefer not "
    "to see them."
)
A_MARITAL_OPTIONAL = _(
    "%(where)s, marital status used to be part of a CV's personal details; today it is optional and often left out."
)
A_MARITAL_JP = _(
    "%(where)s, the sample rirekisho published by the Ministry of Health, Labour and Welfare in 2021 no longer asks "
    "about a spouse or dependants, and gender is optional: you do not need to give your marital status."
)
A_MARITAL_SG = _(
    "%(where)s, marital status and family details are not needed on a CV, in line with the Tripartite Guidelines on "
    "Fair Employment Practices. You can leave them out."
)
A_NATIONALITY = _(
    "%(where)s, nationality is not usually listed on a CV. If your right to work matters, say that instead (for "
    "example, that you hold a work permit or will need sponsorship)."
)
A_WORK_RIGHTS = _(
    "%(where)s, if you are not a citizen or permanent resident, say which visa or work rights you hold: employers "
    "often ask early."
)
A_WORK_STATUS_SG = _(
    "%(where)s, employers often want to know whether you are a citizen or permanent resident or will need a work "
    "pass: state it in your personal details."
)
A_LENGTH_ONE_OR_TWO = _("%(where)s, a CV is usually one page, or two when you have long experience.")
A_LENGTH_TWO = _("%(where)s, a CV is usually no longer than two pages.")
A_LENGTH_AU = _("%(where)s, a CV is usually two to three pages long.")
A_LENGTH_JP = _("%(where)s, the 職務経歴書 (work history) is usually about two A4 pages and rarely more than three.")
A_SUMMARY = _(
    "%(where)s, a short summary at the top (three or four lines on who you are and what you offer) is common and "
    "helps a recruiter see your fit at a glance."
)
A_STATEMENT_GB = _(
    "%(where)s, a CV usually opens with a short personal statement: a few lines on who you are, what you offer and "
    "what you are looking for."
)
A_SUMMARY_DE = _(
    "%(where)s, a short profile (Kurzprofil) at the top of a Lebenslauf is optional but increasingly common."
)
A_SUMMARY_FR = _(
    "%(where)s, a CV usually opens with a title naming the job you want, often followed by a short summary (accroche)."
)
A_SUMMARY_JP = _(
    "%(where)s, the 職務経歴書 usually opens with a short career summary (職務要約), and the rirekisho has room for "
    "your motivation and strengths (志望動機, 自己PR)."
)
A_REFERENCES_ON_REQUEST = _(
    "%(where)s, “References available upon request” is unnecessary: employers assume it. Use the space for something "
    "else and keep a list of referees ready."
)
A_REFERENCES_GB = _(
    "%(where)s, you do not need to name referees on your CV, and “References available on request” is optional: "
    "employers usually ask for referees later in the process."
)
A_REFEREES_AU = _(
    "%(where)s, employers usually contact two or three referees: list them at the end of your CV (name, role, phone, "
    "email) or write that they are available on request."
)
A_REFERENCES_DE = _(
    "%(where)s, referees are not usually listed. Employers often expect your employment references "
    "(Arbeitszeugnisse) and certificates with the application instead."
)
A_REFERENCES_OPTIONAL = _(
    "%(where)s, listing referees is optional; have their details ready for when an employer asks."
)
A_CEFR = _(
    "%(where)s, give each language a level on the Common European Framework scale (A1 to C2, for example “English: "
    "C1”), or say that it is your native language."
)
A_LANGUAGE_LEVELS = _(
    "%(where)s, give each language a level, for example native, fluent, professional working or basic, or a CEFR "
    "level (A1 to C2)."
)
A_EUROPASS_LOCAL = _(
    "%(where)s, the Europass CV is accepted, but many employers are more used to a CV in the local format; Europass "
    "suits applications to public bodies and to several EU countries at once."
)
A_EUROPASS_ES = _(
    "%(where)s, the Europass CV is widely known and used; a well-designed CV in your own format is equally accepted."
)
A_EUROPASS_EU = _(
    "%(where)s, the EU's Europass CV is recognised in every EU country and is a safe choice when you do not know the "
    "local format; it describes languages with CEFR levels."
)
A_DECLARATION = _(
    "%(where)s, a closing declaration (“I hereby declare that the above information is true…”) is traditional, but "
    "most private-sector and multinational employers do not expect it; you can drop it to save space."
)
A_LEBENSLAUF = _(
    "%(where)s, a Lebenslauf is usually a table in reverse chronological order with any gaps explained; place, date "
    "and signature at the end are traditional but optional."
)
A_RIREKISHO = _(
    "%(where)s, an application usually has two documents: the rirekisho (履歴書), a standard form with photo, "
    "personal details, education and work history, licences and motivation, and the 職務経歴書, a free-form account "
    "of your work."
)
A_HANDWRITING = _(
    "%(where)s, a rirekisho made on a computer is widely accepted; write it by hand only when the employer asks for it."
)
A_CALENDAR = _(
    "%(where)s, use one calendar throughout: either Japanese era years (令和, 平成) or Western years, not a mix."
)
A_JLPT = _("%(where)s, if Japanese is not your native language, give your level as a JLPT level (N1 to N5).")

# ---------------------------------------------------------------------------------------------------------------------
# Bases (staff-facing, English)
# ---------------------------------------------------------------------------------------------------------------------
B_US_LAW = (
    "US: Title VII of the Civil Rights Act 1964 and the Age Discrimination in Employment Act 1967 (EEOC); employers "
    "avoid receiving information on protected characteristics, and US résumé guidance (university career centres) "
    "advises no photo, date of birth or marital status."
)
B_CA_LAW = (
    "Canada: the Canadian Human Rights Act and provincial human rights codes list age, marital status and family "
    "status as prohibited grounds; Canadian résumé guidance (Job Bank) leaves them out, as in the US."
)
B_GB_LAW = (
    "UK: age and marriage or civil partnership are protected characteristics under the Equality Act 2010; UK CV "
    "guidance (National Careers Service, Prospects) advises leaving out photo, date of birth and marital status."
)
B_AU_LAW = (
    "Australia: Age Discrimination Act 2004 and Sex Discrimination Act 1984 (marital or relationship status); "
    "Australian résumé guidance leaves out photo, date of birth and marital status."
)
B_DE = (
    "Germany: the Allgemeines Gleichbehandlungsgesetz (AGG, 2006) protects against discrimination by age, sex and "
    "origin, so employers stopped asking for photos and personal data; photo, date of birth and marital status remain "
    "common but optional on a tabular Lebenslauf."
)
B_FR = (
    "France: Code du travail L1132-1 (no discrimination by age or family situation) and L1221-6 (information asked "
    "must relate to the job); photo and age remain common but optional."
)
B_ES = (
    "Spain: Estatuto de los Trabajadores art. 4 and 17 (no discrimination); photo and date of birth remain common on "
    "Spanish CVs but are optional; Europass is widely used."
)
B_NL = (
    "Netherlands: Algemene wet gelijke behandeling and the Wet gelijke behandeling op grond van leeftijd bij de arbeid "
    "(2004); photo and date of birth are common but optional."
)
B_EU = (
    "EU: Council Directive 2000/78/EC (equal treatment in employment, including age); Europass (Decision (EU) "
    "2018/646, europass.europa.eu) and the Council of Europe's CEFR (A1-C2) for language levels. Practice on photos "
    "and personal details differs by country."
)
B_JP = (
    "Japan: the Ministry of Health, Labour and Welfare published a sample rirekisho in April 2021 (gender optional; no "
    "commuting time, dependants or spouse fields) after the JIS Z 8303 sample form was withdrawn in 2020. The form "
    "has a photo box (commonly 40 x 30 mm) and date of birth and age fields; typed forms are widely accepted. The "
    "職務経歴書 is free-form, commonly about two A4 pages. JLPT levels N1-N5 are the usual measure of Japanese."
)
B_SG = (
    "Singapore: Tripartite Guidelines on Fair Employment Practices (TAFEP) ask employers to select on merit and not on "
    "age, marital status or family responsibilities; citizenship or work-pass status matters to hiring because of "
    "work-pass rules (Ministry of Manpower)."
)
B_IN = (
    "India: traditional CVs carry a personal-details block (date of birth, marital status, father's name) and a "
    "closing declaration; neither is required, and multinational employers' guidance leaves them out."
)
B_REGION_DEFAULT = (
    "Region default for countries without rules of their own: only conventions that hold across the region, phrased "
    "as 'practice differs' where it does."
)
B_LENGTH = (
    "Page counts are the usual advice of the country's career services. Without a page count (non-PDF files), "
    "length is estimated at about 600 words or 1,200 Japanese characters a page."
)


# ---------------------------------------------------------------------------------------------------------------------
# Rules shared by several packs
# ---------------------------------------------------------------------------------------------------------------------
def _photo(advice: Promise, severity: str, basis: str) -> RuleSpec:
    return RuleSpec("photo", Topic.PHOTO, Check.GUIDANCE, severity, T_PHOTO, advice, basis)


def _dob_remove(severity: str, basis: str) -> RuleSpec:
    return RuleSpec("date-of-birth", Topic.PERSONAL_DETAILS, Check.DOB_PRESENT, severity, T_DOB, A_DOB_REMOVE, basis)


def _dob_optional(basis: str) -> RuleSpec:
    return RuleSpec("date-of-birth", Topic.PERSONAL_DETAILS, Check.GUIDANCE, TIP, T_DOB, A_DOB_OPTIONAL, basis)


def _marital_remove(severity: str, basis: str) -> RuleSpec:
    return RuleSpec(
        "marital-status", Topic.MARITAL_STATUS, Check.MARITAL_PRESENT, severity, T_MARITAL, A_MARITAL_REMOVE, basis
    )


def _marital_optional(basis: str) -> RuleSpec:
    return RuleSpec("marital-status", Topic.MARITAL_STATUS, Check.GUIDANCE, TIP, T_MARITAL, A_MARITAL_OPTIONAL, basis)


def _nationality(basis: str) -> RuleSpec:
    return RuleSpec(
        "nationality", Topic.NATIONALITY, Check.NATIONALITY_PRESENT, TIP, T_NATIONALITY, A_NATIONALITY, basis
    )


def _length(advice: Promise, max_pages: int) -> RuleSpec:
    return RuleSpec(
        "length", Topic.LENGTH, Check.LENGTH_OVER, SHOULD, T_LENGTH, advice, B_LENGTH, {"max_pages": max_pages}
    )


def _summary(advice: Promise = A_SUMMARY, title: Promise = T_SUMMARY, check: str = Check.SUMMARY_MISSING) -> RuleSpec:
    basis = "Career-service advice in the country: a short profile or summary opens most CVs."
    return RuleSpec("summary", Topic.SUMMARY, check, TIP, title, advice, basis)


def _references_optional() -> RuleSpec:
    basis = "Referees are checked late in hiring nearly everywhere; listing them on the CV is a local choice."
    return RuleSpec("references", Topic.REFERENCES, Check.GUIDANCE, TIP, T_REFERENCES, A_REFERENCES_OPTIONAL, basis)


def _references_on_request(basis: str) -> RuleSpec:
    return RuleSpec(
        "references",
        Topic.REFERENCES,
        Check.REFERENCES_ON_REQUEST,
        TIP,
        T_REFERENCES,
        A_REFERENCES_ON_REQUEST,
        basis,
    )


def _cefr(basis: str = B_EU) -> RuleSpec:
    return RuleSpec(
        "language-levels",
        Topic.LANGUAGES,
        Check.LANGUAGE_LEVEL_MISSING,
        SHOULD,
        T_CEFR,
        A_CEFR,
        basis,
        {"accept": "cefr"},
    )


def _language_levels(basis: str) -> RuleSpec:
    return RuleSpec(
        "language-levels",
        Topic.LANGUAGES,
        Check.LANGUAGE_LEVEL_MISSING,
        TIP,
        T_LANGUAGE_LEVELS,
        A_LANGUAGE_LEVELS,
        basis,
        {"accept": "any"},
    )


def _europass(advice: Promise, basis: str) -> RuleSpec:
    return RuleSpec("europass", Topic.EUROPASS, Check.GUIDANCE, TIP, T_EUROPASS, advice, basis)


def _work_rights(basis: str) -> RuleSpec:
    return RuleSpec("right-to-work", Topic.NATIONALITY, Check.GUIDANCE, TIP, T_WORK_RIGHTS, A_WORK_RIGHTS, basis)


# ---------------------------------------------------------------------------------------------------------------------
# Packs
# ---------------------------------------------------------------------------------------------------------------------
COUNTRY_PACKS: dict[str, tuple[RuleSpec, ...]] = {
    "US": (
        _photo(A_PHOTO_NONE, MUST, B_US_LAW),
        _dob_remove(MUST, B_US_LAW),
        _marital_remove(MUST, B_US_LAW),
        _nationality(B_US_LAW),
        _length(A_LENGTH_ONE_OR_TWO, 2),
        _summary(),
        _references_on_request("US résumé guidance: the line is assumed and wastes space."),
    ),
    "CA": (
        _photo(A_PHOTO_NONE, MUST, B_CA_LAW),
        _dob_remove(MUST, B_CA_LAW),
        _marital_remove(MUST, B_CA_LAW),
        _nationality(B_CA_LAW),
        _length(A_LENGTH_TWO, 2),
        _summary(),
        _references_on_request("Canadian résumé guidance: the line is assumed and wastes space."),
        _language_levels("Canada: English and French; many roles state the level needed in one or both."),
    ),
    "GB": (
        _photo(A_PHOTO_NONE, SHOULD, B_GB_LAW),
        _dob_remove(SHOULD, B_GB_LAW),
        _marital_remove(SHOULD, B_GB_LAW),
        _nationality(B_GB_LAW),
        _length(A_LENGTH_TWO, 2),
        _summary(A_STATEMENT_GB, T_STATEMENT),
        RuleSpec(
            "references",
            Topic.REFERENCES,
            Check.GUIDANCE,
            TIP,
            T_REFERENCES,
            A_REFERENCES_GB,
            "UK guidance (Prospects): referees need not be named on the CV; references are usually taken up late.",
        ),
        _language_levels("UK CVs describe language levels in words or CEFR levels."),
    ),
    "DE": (
        _photo(A_PHOTO_DE, TIP, B_DE),
        _dob_optional(B_DE),
        _marital_optional(B_DE),
        RuleSpec("lebenslauf", Topic.FORMAT, Check.GUIDANCE, TIP, T_LEBENSLAUF, A_LEBENSLAUF, B_DE),
        _length(A_LENGTH_TWO, 2),
        _summary(A_SUMMARY_DE, check=Check.GUIDANCE),  # optional on a Lebenslauf: advice, never a finding
        RuleSpec(
            "references",
            Topic.REFERENCES,
            Check.GUIDANCE,
            TIP,
            T_REFERENCES,
            A_REFERENCES_DE,
            "Germany: Arbeitszeugnisse (written employer references, a legal right under § 109 GewO) go with the "
            "application instead of referees.",
        ),
        _cefr(),
        _europass(A_EUROPASS_LOCAL, B_EU),
    ),
    "FR": (
        _photo(A_PHOTO_OPTIONAL, TIP, B_FR),
        _dob_optional(B_FR),
        _marital_optional(B_FR),
        _length(A_LENGTH_ONE_OR_TWO, 2),
        _summary(A_SUMMARY_FR),
        _references_optional(),
        _cefr(),
        _europass(A_EUROPASS_LOCAL, B_EU),
    ),
    "ES": (
        _photo(A_PHOTO_OPTIONAL, TIP, B_ES),
        _dob_optional(B_ES),
        _marital_optional(B_ES),
        _length(A_LENGTH_TWO, 2),
        _summary(),
        _references_optional(),
        _cefr(),
        _europass(A_EUROPASS_ES, B_ES),
    ),
    "NL": (
        _photo(A_PHOTO_OPTIONAL, TIP, B_NL),
        _dob_optional(B_NL),
        _marital_optional(B_NL),
        _length(A_LENGTH_TWO, 2),
        _summary(),
        _references_optional(),
        _cefr(),
        _europass(A_EUROPASS_LOCAL, B_EU),
    ),
    "JP": (
        RuleSpec("rirekisho", Topic.FORMAT, Check.GUIDANCE, SHOULD, T_RIREKISHO, A_RIREKISHO, B_JP),
        _photo(A_PHOTO_JP, SHOULD, B_JP),
        RuleSpec("date-of-birth", Topic.PERSONAL_DETAILS, Check.DOB_MISSING, TIP, T_DOB, A_DOB_JP, B_JP),
        RuleSpec("marital-status", Topic.MARITAL_STATUS, Check.MARITAL_PRESENT, TIP, T_MARITAL, A_MARITAL_JP, B_JP),
        RuleSpec("handwriting", Topic.FORMAT, Check.GUIDANCE, TIP, T_HANDWRITING, A_HANDWRITING, B_JP),
        RuleSpec("calendar", Topic.FORMAT, Check.CALENDARS_MIXED, TIP, T_CALENDAR, A_CALENDAR, B_JP),
        _length(A_LENGTH_JP, 3),
        _summary(A_SUMMARY_JP),
        RuleSpec("jlpt", Topic.LANGUAGES, Check.JLPT_MISSING, TIP, T_JLPT, A_JLPT, B_JP),
    ),
    "AU": (
        _photo(A_PHOTO_NONE, SHOULD, B_AU_LAW),
        _dob_remove(SHOULD, B_AU_LAW),
        _marital_remove(SHOULD, B_AU_LAW),
        _work_rights("Australia: employers ask about work rights (citizenship, permanent residency or visa) early."),
        _length(A_LENGTH_AU, 3),
        _summary(),
        RuleSpec(
            "references",
            Topic.REFERENCES,
            Check.REFERENCES_MISSING,
            TIP,
            T_REFEREES,
            A_REFEREES_AU,
            "Australia: reference checks with two or three referees are a standard hiring step; résumés commonly end "
            "with referees or 'available on request'.",
        ),
    ),
    "SG": (
        _photo(A_PHOTO_OPTIONAL, TIP, B_SG),
        RuleSpec("date-of-birth", Topic.PERSONAL_DETAILS, Check.DOB_PRESENT, TIP, T_DOB, A_DOB_SG, B_SG),
        RuleSpec("marital-status", Topic.MARITAL_STATUS, Check.MARITAL_PRESENT, TIP, T_MARITAL, A_MARITAL_SG, B_SG),
        RuleSpec(
            "work-status", Topic.NATIONALITY, Check.WORK_STATUS_MISSING, TIP, T_WORK_RIGHTS, A_WORK_STATUS_SG, B_SG
        ),
        _length(A_LENGTH_TWO, 2),
        _summary(),
        _references_optional(),
    ),
    "IN": (
        _photo(A_PHOTO_OPTIONAL, TIP, B_IN),
        RuleSpec(
            "personal-details",
            Topic.PERSONAL_DETAILS,
            Check.PERSONAL_DETAILS_PRESENT,
            TIP,
            T_PERSONAL,
            A_PERSONAL_IN,
            B_IN,
        ),
        RuleSpec("declaration", Topic.FORMAT, Check.DECLARATION_PRESENT, TIP, T_DECLARATION, A_DECLARATION, B_IN),
        _length(A_LENGTH_ONE_OR_TWO, 2),
        _summary(),
        _references_optional(),
    ),
}

REGION_PACKS: dict[str, tuple[RuleSpec, ...]] = {
    "NA": (
        RuleSpec(
            "photo-personal-details",
            Topic.PHOTO,
            Check.GUIDANCE,
            TIP,
            T_PHOTO_PERSONAL,
            A_PHOTO_PERSONAL_NA,
            B_REGION_DEFAULT,
        ),
        _length(A_LENGTH_TWO, 2),
        _summary(),
        _references_optional(),
    ),
    "EU": (
        _photo(A_PHOTO_EU, TIP, B_REGION_DEFAULT),
        RuleSpec("personal-details", Topic.PERSONAL_DETAILS, Check.GUIDANCE, TIP, T_PERSONAL, A_PERSONAL_EU, B_EU),
        _length(A_LENGTH_TWO, 2),
        _summary(),
        _references_optional(),
        _cefr(),
        _europass(A_EUROPASS_EU, B_EU),
    ),
    "APAC": (
        RuleSpec(
            "photo-personal-details",
            Topic.PHOTO,
            Check.GUIDANCE,
            TIP,
            T_PHOTO_PERSONAL,
            A_PHOTO_PERSONAL_APAC,
            B_REGION_DEFAULT,
        ),
        _work_rights(B_REGION_DEFAULT),
        _length(A_LENGTH_TWO, 2),
        _summary(),
        _references_optional(),
    ),
}
