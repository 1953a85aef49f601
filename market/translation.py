from modeltranslation.translator import TranslationOptions, register

from market.models import Country, Currency, CVRule, Industry, Region


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
