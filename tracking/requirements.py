"""Splits a posting's requirements into must-have and nice-to-have from its wording, in English, German, French,
Spanish and Japanese. Pure functions, no ORM.

A posting is read line by line. A heading ("Requirements", "Ihr Profil", "Profil recherché", "Requisitos",
"【必須要件】") sets the kind of the lines under it: must-have, nice-to-have, or a part that is never a requirement
(duties such as "Ihre Aufgaben", benefits, salary, the company blurb). A line's own cue ("… is a plus",
"idealerweise", "de préférence", "se valorará", "歓迎") makes it a nice-to-have whatever its heading. Lines under
no recognised heading are requirements only when their own wording says so ("… is required").

A requirement is a phrase with at least one content word: a line that is only function words, a salary, a benefit
("Sign-on bonus available", "30 Tage Urlaub", "福利厚生") or a sentence about the company is never one.
"""

from __future__ import annotations

import re
import unicodedata

MUST, NICE, NEVER = "must", "nice", "never"
# The version of this reading stored with each posting's lists (JobPosting.requirements_version). Bump it whenever
# ``requirements_split`` reads a description differently: lists stored by an older version are read again on display
# (JobPosting.requirements_current) and rewritten by ``manage.py postings_requirements_reread``.
READER_VERSION = "3"  # 2: headings and cues in five languages, no salaries or benefits (issue 15); 3: more headings
# ("Erforderlich:", "What you'll need", "Requis")

# Section headings, compared after _heading_key (NFKC, case-folded, punctuation and brackets dropped).
HEADINGS: dict[str, tuple[str, ...]] = {
    MUST: (
        # en
        "requirements", "required", "required skills", "required qualifications", "minimum qualifications",
        "basic qualifications", "qualifications", "must have", "must haves", "must-have", "must-haves",
        "what you bring", "what you'll bring", "what you will bring", "what we're looking for",
        "what we are looking for", "who you are", "about you", "your profile", "you have", "skills and experience",
        "requirements and qualifications", "skills", "experience", "what you need", "what you'll need",
        "you'll need", "essential", "essential skills", "essential criteria", "key requirements",
        "minimum requirements",
        # de
        "ihr profil", "dein profil", "anforderungen", "anforderungsprofil", "was sie mitbringen", "was du mitbringst",
        "das bringen sie mit", "das bringst du mit", "voraussetzungen", "qualifikationen", "ihre qualifikationen",
        "deine qualifikationen", "muss", "unsere anforderungen", "erforderlich", "erforderliche qualifikationen",
        "erforderliche kenntnisse", "was wir erwarten", "was wir von ihnen erwarten", "sie bringen mit",
        "du bringst mit", "mindestanforderungen",
        # fr
        "profil recherché", "profil", "votre profil", "compétences requises", "qualifications requises",
        "prérequis", "pré-requis", "exigences", "compétences", "ce que nous recherchons", "requis",
        "compétences et qualifications", "qualifications et compétences",
        # es
        "requisitos", "requisitos mínimos", "perfil", "perfil buscado", "tu perfil", "qué buscamos",
        "lo que buscamos", "imprescindible", "requisitos imprescindibles", "competencias", "requerido",
        "requisitos necesarios", "qué necesitas", "te pedimos",
        # ja
        "必須要件", "必須スキル", "必須条件", "必須", "応募資格", "求める人物像", "応募要件", "必要なスキル",
        "必要な経験", "求めるスキル", "必須経験",
    ),
    NICE: (
        "nice to have", "nice-to-have", "nice to haves", "preferred", "preferred qualifications",
        "preferred skills", "bonus", "bonus points", "plus", "pluses", "bonus skills", "desirable", "good to have",
        "ideally", "extra credit", "desirable qualifications", "desired qualifications", "preferred experience",
        "wünschenswert", "von vorteil", "wünschenswert ist", "idealerweise", "pluspunkte", "nice to have",
        "un plus", "atouts", "atouts appréciés", "appréciés", "les plus", "souhaité", "souhaitée",
        "compétences souhaitées", "serait un plus",
        "se valorará", "deseable", "requisitos deseables", "valorable", "valoraremos", "se valora", "méritos",
        "se valorarán", "deseables", "es un plus", "wünschenswerte kenntnisse", "gerne gesehen",
        "optionnel", "would be a plus", "desired",
        "歓迎要件", "歓迎スキル", "歓迎条件", "歓迎", "尚可", "あれば尚可", "歓迎する経験",
    ),
    NEVER: (
        # duties
        "responsibilities", "your responsibilities", "what you'll do", "what you will do", "the role", "your role",
        "duties", "key responsibilities", "your tasks", "tasks", "about the role", "day to day",
        "ihre aufgaben", "deine aufgaben", "aufgaben", "ihr aufgabengebiet", "das erwartet sie", "das erwartet dich",
        "vos missions", "missions", "vos responsabilités", "le poste", "descriptif du poste",
        "funciones", "responsabilidades", "tus funciones", "qué harás", "el puesto",
        "業務内容", "仕事内容", "職務内容", "担当業務", "募集背景", "ポジション概要",
        # benefits and pay
        "benefits", "what we offer", "perks", "compensation", "salary", "pay", "compensation and benefits",
        "perks and benefits", "why join us", "why us", "conditions", "the offer", "our offer", "what's in it for you",
        "schedule", "location", "work arrangement", "working conditions", "how to apply",
        "wir bieten", "was wir bieten", "unser angebot", "benefits", "vergütung", "gehalt", "das bieten wir",
        "wir bieten ihnen", "unsere leistungen", "rahmenbedingungen",
        "nous offrons", "ce que nous offrons", "avantages", "rémunération", "salaire", "pourquoi nous rejoindre",
        "conditions de travail", "informations complémentaires", "modalités", "le contrat",
        "ofrecemos", "qué ofrecemos", "beneficios", "salario", "retribución", "condiciones", "te ofrecemos",
        "福利厚生", "待遇", "給与", "年収", "想定年収", "休日休暇", "勤務地", "勤務時間", "待遇・福利厚生",
        # the company
        "about us", "who we are", "about the company", "our company", "company", "the team", "about the team",
        "über uns", "wer wir sind", "das unternehmen", "unternehmen",
        "qui sommes-nous", "à propos de nous", "l'entreprise", "entreprise",
        "sobre nosotros", "quiénes somos", "la empresa", "empresa",
        "会社概要", "会社紹介", "企業概要", "私たちについて",
    ),
}  # fmt: skip

# Cues inside a line.
NICE_CUES = re.compile(
    r"\b(nice[- ]to[- ]have|preferred|preferably|is a plus|a plus|plus if|bonus points?|desirable|ideally|"
    r"good to have|optional|would be great|would be a plus|advantageous|an advantage|"
    r"wünschenswert|von vorteil|idealerweise|begrüßen|pluspunkt|gerne auch|"
    r"souhaité|souhaitée|souhaitable|un plus|un atout|de préférence|idéalement|apprécié|appréciée|"
    r"deseable|valorable|se valorará|valoraremos|se valora|preferiblemente|idealmente)\b"
    r"|歓迎|尚可|望ましい|あれば",
    re.IGNORECASE,
)
MUST_CUES = re.compile(
    r"\b(required|requires?|must|mandatory|essential|you have|you bring|minimum|at least|"
    r"erforderlich|voraussetzung|zwingend|setzen voraus|muss|müssen|"
    r"requis|requise|obligatoire|indispensable|exigé|exigée|"
    r"imprescindible|requisito|obligatorio|necesario)\b"
    r"|必須|必要",
    re.IGNORECASE,
)
# Salary, benefits and perks: never a requirement, whatever the heading says.
NEVER_CUES = re.compile(
    r"[$€£¥]\s*\d|\d\s*(?:€|eur|usd|chf|gbp|k€|円|万円)|\b(?:usd|eur|chf|gbp)\s*\d"
    r"|\b(?:compensation|salary|salaries|pay range|base pay|wage|equity|stock options?|rsus?|401\s*\(?k\)?|"
    r"paid time off|pto|vacation|holidays?|health insurance|dental|vision insurance|parental leave|"
    r"(?:sign[- ]on|signing|annual|performance|yearly|retention|relocation|target)\s+bonus|"
    r"bonus\s+(?:available|scheme|plan|program|programme|eligible|eligibility)|"
    r"gehalt|vergütung|urlaub|urlaubstage|betriebliche altersvorsorge|jobrad|homeoffice-pauschale|"
    r"rémunération|salaire|congés|mutuelle|tickets? restaurant|télétravail possible|"
    r"salario|retribución|sueldo|vacaciones|seguro médico|"
    r"benefits?|perks?|hybrid|remote in|relocation|overtime|shift differential|pension|travel up to|exam fees|"
    r"civil service position|freistellung|kostenübernahme|schwerbehindert\w*|bevorzugt berücksichtigt|"
    r"prime d'\w+|crèche|poste en \d+|recrutement par voie|contrat (?:de|indefinido)|contrato|jornada|turnos?|"
    r"incorporación inmediata|vehículo de empresa|dietas)\b"
    r"|\w*gehalt\b"
    r"|年収|月給|給与|賞与|福利厚生|社会保険|休日|休暇|交通費|手当|万円",
    re.IGNORECASE,
)
# The company speaking about itself ("We are a…", "Wir sind…"): a blurb, not a requirement.
BLURB_START = re.compile(
    r"^(?:we are|we're|we have|we build|we offer|our (?:company|mission|team|client|customers)|join (?:us|our)|"
    r"wir sind|wir bieten|wir suchen|unser (?:team|unternehmen)|werde teil|"
    r"nous sommes|nous offrons|nous recherchons|rejoignez|notre (?:équipe|entreprise|société)|"
    r"somos|ofrecemos|buscamos|únete|nuestro (?:equipo|cliente)|nuestra empresa|"
    r"当社は|弊社は|私たちは|"
    r"apply|please apply|we look forward|bewirb dich|bewerben sie sich|wir freuen uns|postulez|envía|ご応募|"
    r"equal opportunity|an equal)",
    re.IGNORECASE,
)
BULLET = re.compile(r"^\s*(?:[-*•·▪◦・■□●○◆◇▶►✓✔※→]|\d+[.)]|[（(]\d+[)）])\s*")
_HEADING_STRIP = re.compile(r"[\s:：\-–—_=*#•·・|/.)(\[\]【】「」『』<>〈〉《》■□◆◇●○▼▽★☆!！?？]+")
MAX_HEADING_CHARS = 50
MAX_ITEMS = 60
MAX_ITEM_CHARS = 300  # a longer line read from a description is prose, not a requirement
MAX_GIVEN_CHARS = 500  # a requirement given as such (stored lists, the match API) may be this long
# Function words and words that say how much or how well (en, de, fr, es): a line made only of these is not a
# requirement, and the match never makes a concept of one (predictions.match.concepts).
FUNCTION_WORDS = frozenset(
    """a an and or either nor the of in on at to for with by from as is are be been being we you your our their it its
    this that these those etc e.g eg i.e ie such including include includes like using use used via into within plus
    bonus nice have has having must should would could can will required require requirement requirements preferred
    preferably prefer ideally desirable optional essential mandatory minimum least strong solid good great excellent
    proven demonstrated deep broad basic advanced ability able skill skills knowledge experience experienced
    experiences expertise proficiency proficient familiarity familiar understanding working work hands-on hands
    background year years yrs track record some any all other related relevant similar equivalent level one two
    three four five six seven eight nine ten more than grounding field fields area areas comparable und oder mit von
    vom zu zum zur für im auf bei aus der die das den dem des ein eine einer einem einen eines sie ihr ihre du dein
    deine wir sind ist haben hast würde würden wäre gerne sehr gut gute guter gutes guten begrüßen wünschenswert
    vorteil idealerweise erfahrung erfahrungen kenntnisse kenntnis fundierte fundiertes fundierten umfangreiche
    mehrjährige mehrjährig abgeschlossenes abgeschlossene abgeschlossener jahre jahren mindestens als bereich
    vergleichbaren vergleichbares vergleichbare fach studiengang ähnlich idealerweise wissen sicherer sicheren
    umgang souveräner de d l qu à au aux al lo et ou avec du des le la les un une en pour par sur dans vous votre
    nous est sont avoir serait que qui connaissance connaissances maîtrise expérience expériences ans année années
    minimum tant compétences bonne bonnes solide solides domaine équivalent similaire préférence atout y o con del
    las el los una para por sobre tu su es son tener se valorará valorable al menos experiencia conocimientos
    conocimiento dominio años año como sólidos sólida buen buena afín
    """.split()
)
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff]")
_SENTENCE_SPLIT = re.compile(r"(?<=[.;!?])\s+|(?<=[。；！？])")
_INLINE_HEADING = re.compile(r"^(?P<heading>[^:：]{2,50})[:：]\s*(?P<rest>\S.*)$")


def _heading_key(text: str) -> str:
    key = unicodedata.normalize("NFKC", text).casefold().replace("’", "'")
    key = _HEADING_STRIP.sub(" ", key)
    return " ".join(key.split())


_HEADING_KIND: dict[str, str] = {_heading_key(h): kind for kind, items in HEADINGS.items() for h in items}


def heading_kind(line: str) -> str | None:
    """MUST, NICE or NEVER when the line is a posting heading ("Ihr Profil:", "【歓迎要件】"), else None."""
    if len(line) > MAX_HEADING_CHARS:
        return None
    return _HEADING_KIND.get(_heading_key(line))


def is_requirement(text: str, *, max_chars: int = MAX_ITEM_CHARS) -> bool:
    """Whether a phrase can be a requirement: it has a content word (not only function words, digits or
    punctuation) and is not a salary, a benefit or a sentence about the company."""
    text = unicodedata.normalize("NFKC", text).strip()
    if len(text) < 2 or len(text) > max_chars or NEVER_CUES.search(text) or BLURB_START.match(text):
        return False
    if _CJK.search(text):
        return True
    return any(word.casefold() not in FUNCTION_WORDS and len(word) > 1 for word in _WORD.findall(text))


def _lines(text: str) -> list[str]:
    return [line.strip() for line in unicodedata.normalize("NFKC", text).splitlines() if line.strip()]


def _item_kind(sentence: str, section: str | None, *, is_bullet: bool) -> str | None:
    if not is_requirement(sentence):
        return None
    if section == NEVER:
        return None
    cue = NICE_CUES.search(sentence)
    if cue is not None and not (section == MUST and re.search(r"[,;(]", sentence[: cue.start()])):
        return NICE  # "…, idealerweise PostgreSQL" under "Ihr Profil" prefers a detail of a must-have
    if MUST_CUES.search(sentence):
        return MUST
    if section in (MUST, NICE) and (is_bullet or len(sentence) <= 200):
        return section
    return None


def requirements_split(description: str) -> dict[str, list[str]]:
    """Returns {"must_have": [...], "nice_to_have": [...]}, each requirement as the posting writes it."""
    found: dict[str, list[str]] = {MUST: [], NICE: []}
    section: str | None = None
    for line in _lines(description):
        is_bullet = bool(BULLET.match(line))
        item = BULLET.sub("", line).strip()
        if not item:
            continue
        kind = heading_kind(item)
        if kind is not None:
            section = kind
            continue
        inline = _INLINE_HEADING.match(item)
        if inline and (inline_kind := heading_kind(inline.group("heading"))) is not None:
            # "Requirements: Python, SQL" / "必須スキル：Python" — a heading with its first item on the same line.
            section = inline_kind
            item = inline.group("rest").strip()
        elif not is_bullet and len(item) <= 40 and item.endswith((":", "：")):
            section = None  # an unknown heading ends the previous part
            continue
        sentences = [item] if is_bullet else _SENTENCE_SPLIT.split(item)
        for sentence in sentences:
            sentence = sentence.strip(" .;。")
            kind = _item_kind(sentence, section, is_bullet=is_bullet) if sentence else None
            if kind is not None:
                found[kind].append(sentence)
    return {"must_have": found[MUST][:MAX_ITEMS], "nice_to_have": found[NICE][:MAX_ITEMS]}


def description_body(description: str) -> str:
    """The description without its headings and its salary and benefit lines: the text whose skills count."""
    kept = []
    for line in _lines(description):
        item = BULLET.sub("", line).strip()
        if item and heading_kind(item) is None and not NEVER_CUES.search(item):
            kept.append(line)
    return "\n".join(kept)


def requirements_clean(requirements: dict | None) -> dict[str, list[str]]:
    """Stored requirement lists without the lines ``is_requirement`` rejects (lists split by an older version)."""
    requirements = requirements or {}
    return {
        name: [
            str(text) for text in requirements.get(name) or [] if is_requirement(str(text), max_chars=MAX_GIVEN_CHARS)
        ]
        for name in ("must_have", "nice_to_have")
    }
