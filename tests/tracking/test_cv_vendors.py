"""Makers learned from O*NET's product names (tracking/cv/vendors.py)."""

from __future__ import annotations

from tracking.cv.vendors import common_word, vendor_products


def test_it_learns_a_maker_that_names_several_products():
    products = vendor_products(
        ["Dassault Systemes SolidWorks", "Dassault Systemes CATIA", "ESRI ArcGIS Desktop", "ESRI ArcMap"]
    )
    assert products == {
        "Dassault Systemes SolidWorks": "SolidWorks",
        "Dassault Systemes CATIA": "CATIA",
        "ESRI ArcGIS Desktop": "ArcGIS Desktop",
        "ESRI ArcMap": "ArcMap",
    }


def test_it_learns_a_maker_named_after_its_one_product():
    products = vendor_products(["StataCorp Stata", "Unity Technologies Unity", "Alfresco Software Alfresco"])
    assert products == {
        "StataCorp Stata": "Stata",
        "Unity Technologies Unity": "Unity",
        "Alfresco Software Alfresco": "Alfresco",
    }


def test_it_keeps_a_name_whose_first_word_is_no_maker():
    products = vendor_products(
        ["Computer aided design CAD software", "Computer based training software", "Tableau", "Lone Product"],
        ordinary_words=frozenset({"computer"}),
    )
    assert products == {}


def test_it_never_leaves_a_product_that_does_not_start_like_a_name():
    assert vendor_products(["Acme widget maker", "Acme widget tester"]) == {}


def test_ordinary_words_are_the_frequent_ones():
    assert common_word("frontier")
    assert common_word("canopy")
    assert not common_word("stata")
    assert not common_word("solidworks")
