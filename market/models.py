"""Shared reference data (public schema only), loaded from data/reference by `manage.py load_reference_data`.

Every table here is written only by market.services and read-only at run time.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Region(models.Model):
    """One of the product's three markets. A country outside them has no region (never silently one of the three)."""

    class Code(models.TextChoices):
        NORTH_AMERICA = "NA", _("North America")
        EUROPE = "EU", _("Europe")
        ASIA_PACIFIC = "APAC", _("Asia-Pacific")

    code = models.CharField(_("code"), max_length=4, unique=True, choices=Code.choices)
    name = models.CharField(_("name"), max_length=100)  # translated (translation.py)

    class Meta:
        ordering = ["code"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")

    def __str__(self) -> str:
        return self.name


class Currency(models.Model):
    code = models.CharField(_("ISO 4217 code"), max_length=3, unique=True)
    name = models.CharField(_("name"), max_length=100)  # translated (translation.py)
    minor_digits = models.PositiveSmallIntegerField(_("minor digits"), help_text=_("CLDR display fraction digits."))

    class Meta:
        ordering = ["code"]
        verbose_name = _("currency")
        verbose_name_plural = _("currencies")

    def __str__(self) -> str:
        return self.code


class Country(models.Model):
    iso2 = models.CharField(_("ISO 3166-1 alpha-2 code"), max_length=2, unique=True)
    iso3 = models.CharField(_("ISO 3166-1 alpha-3 code"), max_length=3, blank=True)
    name = models.CharField(_("name"), max_length=100)  # translated (translation.py)
    region = models.ForeignKey(
        Region,
        to_field="code",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="countries",
        verbose_name=_("region"),
        help_text=_("Empty for a country outside North America, Europe and Asia-Pacific."),
    )
    currency = models.ForeignKey(
        Currency,
        to_field="code",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="countries",
        verbose_name=_("currency"),
        help_text=_("Current legal tender; empty where there is none (Antarctica)."),
    )

    class Meta:
        ordering = ["iso2"]
        verbose_name = _("country")
        verbose_name_plural = _("countries")

    def __str__(self) -> str:
        return f"{self.iso2} {self.name}"


class Taxonomy(models.TextChoices):
    ONET = "onet", _("O*NET")
    ESCO = "esco", _("ESCO")


class Occupation(models.Model):
    taxonomy = models.CharField(_("taxonomy"), max_length=8, choices=Taxonomy.choices)
    code = models.CharField(_("code"), max_length=200, help_text=_("O*NET-SOC code (15-2051.00) or ESCO concept URI."))
    title = models.CharField(_("title"), max_length=255)  # the reference data's own (English): matching reads it
    # What pages show, translated (translation.py): ESCO's label in the language where ESCO has one, else the title.
    label = models.CharField(_("label"), max_length=255, blank=True)
    description = models.TextField(_("description"), blank=True)
    soc_code = models.CharField(
        _("SOC 2018 code"), max_length=7, blank=True, db_index=True, help_text=_("O*NET rows only; joins BLS wages.")
    )
    isco_group = models.CharField(
        _("ISCO-08 unit group"), max_length=4, blank=True, db_index=True, help_text=_("ESCO rows only.")
    )
    job_zone = models.PositiveSmallIntegerField(
        _("job zone"), null=True, blank=True, help_text=_("O*NET preparation level 1-5; empty when not rated.")
    )

    class Meta:
        ordering = ["taxonomy", "code"]
        verbose_name = _("occupation")
        verbose_name_plural = _("occupations")
        constraints = [
            models.UniqueConstraint(fields=["taxonomy", "code"], name="market_occupation_taxonomy_code_uniq"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def display_title(self) -> str:
        """The occupation's name in the active language (ESCO's label), else its English title."""
        return self.label or self.title


class OccupationTitle(models.Model):
    class Source(models.TextChoices):
        PREFERRED = "preferred", _("preferred title")
        ALTERNATE = "alternate", _("O*NET alternate title")
        REPORTED = "reported", _("O*NET reported title")
        ESCO_ALT = "esco_alt", _("ESCO alternative label")

    occupation = models.ForeignKey(
        Occupation, on_delete=models.CASCADE, related_name="titles", verbose_name=_("occupation")
    )
    title = models.CharField(_("title"), max_length=255)
    normalized_title = models.CharField(
        _("normalized title"), max_length=255, db_index=True, help_text=_("market.text.title_normalize(title).")
    )
    source = models.CharField(_("source"), max_length=16, choices=Source.choices)

    class Meta:
        ordering = ["occupation_id", "normalized_title"]
        verbose_name = _("occupation title")
        verbose_name_plural = _("occupation titles")
        constraints = [
            models.UniqueConstraint(
                fields=["occupation", "normalized_title"], name="market_occupationtitle_occupation_title_uniq"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class Skill(models.Model):
    """An O*NET technology (key = title_normalize(name)) or an ESCO skill (key = concept URI).

    ESCO skills come from a text file that concatenates the preferred label, alternative labels and definition into
    one string, so for them `name` is empty and `description` holds that whole text.
    """

    taxonomy = models.CharField(_("taxonomy"), max_length=8, choices=Taxonomy.choices)
    key = models.CharField(_("key"), max_length=255)
    name = models.CharField(_("name"), max_length=255, blank=True)
    # What pages show, translated (translation.py): "SQL" for "Structured query language SQL"; a skill concept's label
    # in each language (tracking/cv/concepts.py).
    label = models.CharField(_("label"), max_length=255, blank=True)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["taxonomy", "key"]
        verbose_name = _("skill")
        verbose_name_plural = _("skills")
        constraints = [
            models.UniqueConstraint(fields=["taxonomy", "key"], name="market_skill_taxonomy_key_uniq"),
        ]

    def __str__(self) -> str:
        return self.name or self.key

    @property
    def display_name(self) -> str:
        return self.label or self.name or self.key


class OccupationSkill(models.Model):
    occupation = models.ForeignKey(
        Occupation, on_delete=models.CASCADE, related_name="skill_links", verbose_name=_("occupation")
    )
    skill = models.ForeignKey(Skill, on_delete=models.CASCADE, related_name="occupation_links", verbose_name=_("skill"))
    commodity_code = models.CharField(_("UNSPSC commodity code"), max_length=8, blank=True)
    commodity_title = models.CharField(_("UNSPSC commodity title"), max_length=255, blank=True)
    hot_technology = models.BooleanField(_("hot technology"), default=False)
    in_demand = models.BooleanField(_("in demand"), default=False)

    class Meta:
        ordering = ["occupation_id", "skill_id"]
        verbose_name = _("occupation skill")
        verbose_name_plural = _("occupation skills")
        constraints = [
            models.UniqueConstraint(
                fields=["occupation", "skill"], name="market_occupationskill_occupation_skill_uniq"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.occupation_id}:{self.skill_id}"


class WagePercentile(models.Model):
    """BLS OEWS May 2025 estimates for one occupation in one area and industry. Wages are annual USD base pay.

    Empty wage or employment values are suppressed by BLS ("-"); `wage_top_coded` marks wages BLS only reports as
    "#" (at least $239,200 a year), whose values are then empty too.
    """

    class AreaType(models.TextChoices):
        NATIONAL = "N", _("national")
        STATE = "S", _("state")

    area_type = models.CharField(_("area type"), max_length=1, choices=AreaType.choices)
    area_code = models.CharField(_("BLS area code"), max_length=7)
    area_name = models.CharField(_("area name"), max_length=100)
    state_code = models.CharField(_("FIPS state code"), max_length=2)
    industry_code = models.CharField(_("OEWS industry code"), max_length=6)
    industry_name = models.CharField(_("industry name"), max_length=255)
    soc_code = models.CharField(_("SOC 2018 code"), max_length=7, db_index=True)
    occ_title = models.CharField(_("occupation title"), max_length=255)
    occ_level = models.PositiveSmallIntegerField(_("occupation level"), help_text=_("0 major group ... 3 detailed."))
    employment = models.PositiveIntegerField(_("employment"), null=True, blank=True)
    annual_mean_usd = models.PositiveIntegerField(_("annual mean wage (USD)"), null=True, blank=True)
    hourly_mean_usd = models.DecimalField(
        _("hourly mean wage (USD)"), max_digits=8, decimal_places=2, null=True, blank=True
    )
    annual_p10_usd = models.PositiveIntegerField(_("annual 10th percentile wage (USD)"), null=True, blank=True)
    annual_p25_usd = models.PositiveIntegerField(_("annual 25th percentile wage (USD)"), null=True, blank=True)
    annual_median_usd = models.PositiveIntegerField(_("annual median wage (USD)"), null=True, blank=True)
    annual_p75_usd = models.PositiveIntegerField(_("annual 75th percentile wage (USD)"), null=True, blank=True)
    annual_p90_usd = models.PositiveIntegerField(_("annual 90th percentile wage (USD)"), null=True, blank=True)
    wage_top_coded = models.BooleanField(_("a wage is top-coded"), default=False)
    mean_relative_standard_error_pct = models.DecimalField(
        _("relative standard error of the mean (%)"), max_digits=6, decimal_places=1, null=True, blank=True
    )
    jobs_per_1000 = models.DecimalField(_("jobs per 1,000"), max_digits=10, decimal_places=3, null=True, blank=True)
    location_quotient = models.DecimalField(
        _("location quotient"), max_digits=10, decimal_places=2, null=True, blank=True
    )

    class Meta:
        ordering = ["area_code", "industry_code", "soc_code"]
        verbose_name = _("wage percentile")
        verbose_name_plural = _("wage percentiles")
        constraints = [
            models.UniqueConstraint(
                fields=["area_code", "industry_code", "soc_code"], name="market_wagepercentile_area_industry_soc_uniq"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.soc_code} {self.area_name} {self.industry_code}"


class SalarySurveyRow(models.Model):
    """One survey answer, as published (no deduplication: rows sharing `duplicate_key` are exact duplicates)."""

    class Source(models.TextChoices):
        AIJOBS = "aijobs", _("aijobs.net")
        DEVOPS = "devops", _("devops-jobs.net")
        INFOSEC = "infosec", _("isecjobs.com")

    class ExperienceLevel(models.TextChoices):
        ENTRY = "EN", _("entry")
        MID = "MI", _("mid")
        SENIOR = "SE", _("senior")
        EXECUTIVE = "EX", _("executive")

    class EmploymentType(models.TextChoices):
        FULL_TIME = "FT", _("full-time")
        PART_TIME = "PT", _("part-time")
        CONTRACT = "CT", _("contract")
        FREELANCE = "FL", _("freelance")

    class CompanySize(models.TextChoices):
        SMALL = "S", _("fewer than 50 employees")
        MEDIUM = "M", _("50 to 250 employees")
        LARGE = "L", _("more than 250 employees")

    source = models.CharField(_("source"), max_length=8, choices=Source.choices)
    source_line = models.PositiveIntegerField(
        _("line in the source file"), help_text=_("1-based; line 1 is the header.")
    )
    work_year = models.PositiveSmallIntegerField(_("work year"))
    experience_level = models.CharField(_("experience level"), max_length=2, choices=ExperienceLevel.choices)
    employment_type = models.CharField(_("employment type"), max_length=2, choices=EmploymentType.choices)
    job_title = models.CharField(_("job title"), max_length=255)
    salary = models.PositiveBigIntegerField(_("gross annual salary (salary currency)"))
    salary_currency = models.CharField(_("salary currency"), max_length=3)
    salary_usd = models.PositiveBigIntegerField(_("gross annual salary (USD)"))
    employee_residence = models.CharField(_("employee residence (ISO 3166-1 alpha-2)"), max_length=2)
    remote_ratio = models.PositiveSmallIntegerField(_("remote ratio (%)"))
    company_location = models.CharField(_("company location (ISO 3166-1 alpha-2)"), max_length=2)
    company_size = models.CharField(_("company size"), max_length=1, choices=CompanySize.choices)
    duplicate_key = models.CharField(
        _("duplicate key"), max_length=64, db_index=True, help_text=_("SHA-256 of the row's values, source excluded.")
    )

    class Meta:
        ordering = ["source", "source_line"]
        verbose_name = _("salary survey row")
        verbose_name_plural = _("salary survey rows")
        constraints = [
            models.UniqueConstraint(fields=["source", "source_line"], name="market_salarysurveyrow_source_line_uniq"),
        ]

    def __str__(self) -> str:
        return f"{self.source}:{self.source_line}"


class ReferenceDataset(models.Model):
    """The last successful load of one data set; `fingerprint` decides whether the next load can be skipped."""

    name = models.CharField(_("name"), max_length=64, unique=True)
    fingerprint = models.CharField(_("fingerprint (SHA-256)"), max_length=64)
    rows_loaded = models.PositiveIntegerField(_("rows loaded"))
    loaded_at = models.DateTimeField(_("loaded at"))
    load_duration_ms = models.PositiveIntegerField(_("load duration (ms)"))
    source_url = models.URLField(_("source URL"), max_length=500)
    licence = models.CharField(_("licence"), max_length=100)

    class Meta:
        ordering = ["name"]
        verbose_name = _("reference data set")
        verbose_name_plural = _("reference data sets")

    def __str__(self) -> str:
        return self.name


# ---------------------------------------------------------------------------------------------------------------------
# Industries and their keyword databases (market/industries.py, market/keyword_databases.py)
# ---------------------------------------------------------------------------------------------------------------------


class Industry(models.Model):
    """One of the product's industries, defined in market/industries.py by BLS OEWS sectors (and, where a sector
    is shared, the occupation groups that belong to this industry). Name and description are translated."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=100)  # translated (translation.py)
    description = models.TextField(_("description"), blank=True)  # translated (translation.py)
    naics_sectors = models.CharField(
        _("NAICS sectors"), max_length=200, help_text=_("The BLS OEWS sectors the industry's occupations come from.")
    )
    employment = models.PositiveIntegerField(
        _("US employment (BLS OEWS May 2025)"), default=0, help_text=_("Detailed occupations with a published count.")
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "code"]
        verbose_name = _("industry")
        verbose_name_plural = _("industries")

    def __str__(self) -> str:
        return self.name


class IndustryOccupation(models.Model):
    """How much of an industry's US employment one SOC occupation holds (BLS OEWS, national, by sector)."""

    industry = models.ForeignKey(
        Industry, on_delete=models.CASCADE, related_name="occupations", verbose_name=_("industry")
    )
    soc_code = models.CharField(_("SOC 2018 code"), max_length=7, db_index=True)
    title = models.CharField(_("occupation title"), max_length=255)
    employment = models.PositiveIntegerField(_("employment"))
    share = models.FloatField(_("share of the industry's employment"))

    class Meta:
        ordering = ["industry_id", "-share"]
        verbose_name = _("industry occupation")
        verbose_name_plural = _("industry occupations")
        constraints = [
            models.UniqueConstraint(fields=["industry", "soc_code"], name="market_industryoccupation_uniq"),
        ]

    def __str__(self) -> str:
        return f"{self.industry_id} {self.soc_code}"


class KeywordDatabase(models.Model):
    """One build of every industry's keyword database by `manage.py build_keyword_databases`. Exactly one is current;
    earlier versions are kept (a few) so a build can be compared with the last."""

    version = models.PositiveIntegerField(_("version"), unique=True)
    is_current = models.BooleanField(_("current"), default=False)
    built_at = models.DateTimeField(_("built"), auto_now_add=True)
    build_seconds = models.FloatField(_("build time (s)"), default=0)
    sources = models.JSONField(_("source fingerprints"), default=dict)
    counts = models.JSONField(_("counts"), default=dict)

    class Meta:
        ordering = ["-version"]
        verbose_name = _("keyword database")
        verbose_name_plural = _("keyword databases")
        constraints = [
            models.UniqueConstraint(
                fields=["is_current"], condition=models.Q(is_current=True), name="market_keyworddatabase_one_current"
            ),
        ]

    def __str__(self) -> str:
        return f"v{self.version}"


class SynonymGroup(models.Model):
    """Terms that name the same thing: the titles of one occupation (O*NET preferred, alternate and reported titles,
    ESCO labels of the European occupations with the same title) or the ways of writing one skill."""

    class Kind(models.TextChoices):
        TITLE = "title", _("job title")
        SKILL = "skill", _("skill")

    database = models.ForeignKey(
        KeywordDatabase, on_delete=models.CASCADE, related_name="synonym_groups", verbose_name=_("keyword database")
    )
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    canonical = models.CharField(_("canonical name"), max_length=255)
    code = models.CharField(_("code"), max_length=200, help_text=_("O*NET-SOC code for titles; O*NET key for skills."))

    class Meta:
        ordering = ["database_id", "kind", "canonical"]
        verbose_name = _("synonym group")
        verbose_name_plural = _("synonym groups")
        constraints = [
            models.UniqueConstraint(fields=["database", "kind", "code"], name="market_synonymgroup_uniq"),
        ]

    def __str__(self) -> str:
        return self.canonical


class SynonymTerm(models.Model):
    class Source(models.TextChoices):
        ONET = "onet", _("O*NET")
        ESCO = "esco", _("ESCO")
        DERIVED = "derived", _("derived (vendor or suffix dropped)")
        CURATED = "curated", _("curated abbreviation")

    group = models.ForeignKey(SynonymGroup, on_delete=models.CASCADE, related_name="terms", verbose_name=_("group"))
    term = models.CharField(_("term"), max_length=255)
    source = models.CharField(_("source"), max_length=8, choices=Source.choices)

    class Meta:
        ordering = ["group_id", "term"]
        verbose_name = _("synonym")
        verbose_name_plural = _("synonyms")

    def __str__(self) -> str:
        return self.term


class IndustryKeyword(models.Model):
    """A skill, a job title or a task word as it weighs in one industry: `weight` is the share of the industry's US
    employment in occupations that list it (skills, titles), or for task words how much more often the industry's
    O*NET tasks use it than all the industries' tasks do."""

    class Kind(models.TextChoices):
        SKILL = "skill", _("skill")
        TITLE = "title", _("job title")
        TASK_WORD = "task", _("task word")

    database = models.ForeignKey(
        KeywordDatabase, on_delete=models.CASCADE, related_name="keywords", verbose_name=_("keyword database")
    )
    industry = models.ForeignKey(
        Industry, on_delete=models.CASCADE, related_name="keywords", verbose_name=_("industry")
    )
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    term = models.CharField(_("term"), max_length=255)
    group = models.ForeignKey(
        SynonymGroup, on_delete=models.CASCADE, null=True, blank=True, related_name="+", verbose_name=_("synonyms")
    )
    weight = models.FloatField(_("weight"))
    hot = models.BooleanField(_("O*NET hot technology"), default=False)

    class Meta:
        ordering = ["database_id", "industry_id", "kind", "-weight"]
        verbose_name = _("industry keyword")
        verbose_name_plural = _("industry keywords")
        indexes = [models.Index(fields=["database", "industry", "kind"], name="market_indkw_db_ind_kind")]

    def __str__(self) -> str:
        return self.term


# ---------------------------------------------------------------------------------------------------------------------
# Regional CV conventions (market/cv_rules_catalogue.py, market/cv_rules.py, market/cv_checks.py)
# ---------------------------------------------------------------------------------------------------------------------


class CVRule(models.Model):
    """One CV convention of a country, or of a region as the default for its countries without rules of their own.

    Written only by market.cv_rules.cv_rules_ensure from the catalogue (market/cv_rules_catalogue.py). `check_kind`
    names what the CV's text is searched for (market/cv_checks.py); a "guidance" rule is about something text cannot
    show (a photo) and is advice only. Title and advice are translated, and the advice names its country or region
    in each language.
    """

    class Severity(models.TextChoices):
        MUST = "must", _("must")
        SHOULD = "should", _("should")
        TIP = "tip", _("tip")

    class Topic(models.TextChoices):
        PHOTO = "photo", _("photo")
        PERSONAL_DETAILS = "personal_details", _("date of birth, age and other personal details")
        MARITAL_STATUS = "marital_status", _("marital status and family")
        NATIONALITY = "nationality", _("nationality and right to work")
        LENGTH = "length", _("length")
        SUMMARY = "summary", _("personal statement or summary")
        REFERENCES = "references", _("references")
        LANGUAGES = "languages", _("language levels")
        EUROPASS = "europass", _("Europass")
        FORMAT = "format", _("format and local documents")

    class CheckKind(models.TextChoices):
        GUIDANCE = "guidance", _("advice only (not visible in the text)")
        DOB_PRESENT = "dob_present", _("flags a date of birth or age")
        DOB_MISSING = "dob_missing", _("flags a missing date of birth")
        MARITAL_PRESENT = "marital_present", _("flags marital status or children")
        PERSONAL_DETAILS_PRESENT = "personal_details_present", _("flags a date of birth, marital status or parent")
        NATIONALITY_PRESENT = "nationality_present", _("flags a nationality")
        WORK_STATUS_MISSING = "work_status_missing", _("flags a missing citizenship or work pass status")
        LENGTH_OVER = "length_over", _("flags a CV longer than the usual number of pages")
        SUMMARY_MISSING = "summary_missing", _("flags a missing summary section")
        REFERENCES_ON_REQUEST = "references_on_request", _("flags “references available on request”")
        REFERENCES_MISSING = "references_missing", _("flags missing referees")
        LANGUAGE_LEVEL_MISSING = "language_level_missing", _("flags languages listed without a level")
        JLPT_MISSING = "jlpt_missing", _("flags Japanese listed without a JLPT level")
        CALENDARS_MIXED = "calendars_mixed", _("flags Japanese era years mixed with Western years")
        DECLARATION_PRESENT = "declaration_present", _("flags a closing declaration")

    region = models.ForeignKey(
        Region,
        to_field="code",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="cv_rules",
        verbose_name=_("region"),
        help_text=_("Set for a region's default rules; empty for a country's own."),
    )
    country = models.ForeignKey(
        Country,
        to_field="iso2",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="cv_rules",
        verbose_name=_("country"),
    )
    code = models.SlugField(_("code"), max_length=40)
    topic = models.CharField(_("topic"), max_length=20, choices=Topic.choices)
    check_kind = models.CharField(_("what is checked"), max_length=30, choices=CheckKind.choices)
    severity = models.CharField(_("severity"), max_length=8, choices=Severity.choices)
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    title = models.CharField(_("title"), max_length=120)  # translated (translation.py)
    advice = models.TextField(_("advice"))  # translated (translation.py)
    basis = models.TextField(
        _("basis"), blank=True, help_text=_("Why the convention holds and where it is documented (for staff).")
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["country_id", "region_id", "position"]
        verbose_name = _("CV rule")
        verbose_name_plural = _("CV rules")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(region__isnull=True, country__isnull=False)
                | models.Q(region__isnull=False, country__isnull=True),
                name="market_cvrule_one_scope",
            ),
            models.UniqueConstraint(
                fields=["country", "code"], condition=models.Q(country__isnull=False), name="market_cvrule_country_code"
            ),
            models.UniqueConstraint(
                fields=["region", "code"], condition=models.Q(region__isnull=False), name="market_cvrule_region_code"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.country_id or self.region_id}:{self.code}"
