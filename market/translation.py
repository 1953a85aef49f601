from modeltranslation.translator import TranslationOptions, register

from market.models import Country, Currency, CVRule, Industry, Occupation, Region, Skill


@register(Region)
class RegionTranslationOptions(TranslationOptions):
    fields = ("name",)


@register(Country)
class CountryTranslationOptions(TranslationOptions):
    fields = ("name",)


@register(Currency)
class CurrencyTranslationOptions(TranslationOptions):
    fields = ("name",)


@register(Industry)
class IndustryTranslationOptions(TranslationOptions):
    fields = ("name", "description")


@register(CVRule)
class CVRuleTranslationOptions(TranslationOptions):
    fields = ("title", "advice")


@register(Occupation)
class OccupationTranslationOptions(TranslationOptions):
    fields = ("label",)  # not "title": matching reads the reference data's own title in every language


@register(Skill)
class SkillTranslationOptions(TranslationOptions):
    fields = ("label",)
