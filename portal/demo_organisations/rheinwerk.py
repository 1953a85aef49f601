"""Rheinwerk Outplacement GmbH (Köln): employees of a restructured automotive supplier, a logistics transfer company
and an executive programme, applying to suppliers, Mittelstand engineering firms, logistics companies, banks and IT
service providers in the Rhineland. Employers are invented."""

from __future__ import annotations

from portal.demo_histories import CohortPlan, DemoOrganisation, Employer, Field, Person, Role

E = Employer
# Industries (market.industries codes), for the roles only some employers have.
MANUFACTURING, TECHNOLOGY, ENERGY = "manufacturing-engineering", "technology", "energy-utilities"
RETAIL, LOGISTICS = "retail-ecommerce", "transportation-logistics"
KESSLER = E("Kessler Antriebstechnik GmbH", "Köln", "DE", "manufacturing-engineering", 1.05)
RHENANIA = E("Rhenania Fahrzeugsysteme AG", "Leverkusen", "DE", "manufacturing-engineering", 1.1)
WUPPERWERK = E("Wupperwerk Präzisionsteile GmbH", "Wuppertal", "DE", "manufacturing-engineering", 0.95)
SAUERLAND = E("Sauerland Elektronik GmbH", "Lüdenscheid", "DE", "manufacturing-engineering", 0.95)
VOGT = E("Vogt Hydraulik GmbH & Co. KG", "Siegen", "DE", "manufacturing-engineering", 1.0)
LINDNER = E("Lindner Kunststofftechnik GmbH", "Gummersbach", "DE", "manufacturing-engineering", 0.9)
HELIOS = E("Helios Sensorik GmbH", "Dortmund", "DE", "manufacturing-engineering", 1.0)
WESTFALEN = E("Westfalen Getriebe AG", "Bielefeld", "DE", "manufacturing-engineering", 1.05)
KRAEMER = E("Krämer Maschinenbau GmbH", "Olpe", "DE", "manufacturing-engineering", 0.95)
NETZSERVICE = E("Nordrhein Netzservice GmbH", "Essen", "DE", "energy-utilities", 1.0)
RHEINHAFEN = E("Rheinhafen Logistik GmbH", "Duisburg", "DE", "transportation-logistics", 1.0)
BRUECKNER = E("Brückner Spedition GmbH & Co. KG", "Köln", "DE", "transportation-logistics", 0.95)
KONTRAKT = E("Niederrhein Kontraktlogistik GmbH", "Krefeld", "DE", "transportation-logistics", 0.95)
CARGOSPRINT = E("CargoSprint Express GmbH", "Düsseldorf", "DE", "transportation-logistics", 1.0)
WESTKREUZ = E("Westkreuz Lagerlogistik GmbH", "Dortmund", "DE", "transportation-logistics", 0.95)
HANSE = E("Hanse Intermodal GmbH", "Duisburg", "DE", "transportation-logistics", 1.05)
DOMSTADT = E("Domstadt Versandhandel GmbH", "Köln", "DE", "retail-ecommerce", 1.0)
LINDEMANN = E("Bankhaus Lindemann KG", "Düsseldorf", "DE", "finance-insurance", 1.15)
RHEINVERS = E("Rheinische Versicherungsgruppe AG", "Köln", "DE", "finance-insurance", 1.1)
DATENWERK = E("Datenwerk IT-Services GmbH", "Düsseldorf", "DE", "technology", 1.0)
NORDLICHT = E("Nordlicht Software AG", "Köln", "DE", "technology", 1.05)
PIXELHAFEN = E("Pixelhafen Digitalagentur GmbH", "Köln", "DE", "marketing-media", 0.9)

CV_HEAD = "Lebenslauf\n\n{name}\n{headline} · {city} · {email}\n\nKurzprofil\n{summary}\n\n"
CV_TAIL = "\n\nKenntnisse\n{skills}\n\nSprachen\n{languages}\n"
LANGUAGES = (
    "Deutsch (Muttersprache), Englisch (verhandlungssicher)",
    "Deutsch (Muttersprache), Englisch (gut), Französisch (Grundkenntnisse)",
)

AUTOMOTIVE = Field(
    key="automotive",
    roles=(
        Role("Entwicklungsingenieur Elektronik (w/m/d)", 62_000, 78_000),
        Role("Qualitätsingenieur (w/m/d)", 55_000, 70_000),
        Role("Projektleiter Fahrzeugtechnik (w/m/d)", 72_000, 90_000, (MANUFACTURING,)),
        Role("Fertigungsplaner (w/m/d)", 52_000, 66_000),
        Role("Einkäufer Produktionsmaterial (w/m/d)", 52_000, 65_000),
        Role("Versuchsingenieur (w/m/d)", 58_000, 72_000),
        Role("Key Account Manager Automotive (w/m/d)", 70_000, 88_000, (MANUFACTURING,)),
    ),
    employers=(KESSLER, RHENANIA, WUPPERWERK, SAUERLAND, VOGT, LINDNER, HELIOS, WESTFALEN, KRAEMER, NETZSERVICE),
    description=(
        "Die {company} sucht zum nächstmöglichen Zeitpunkt eine/n {title}.\n\nIhre Aufgaben:\n"
        "- Sie verantworten Projekte von der Anfrage bis zur Serienreife\n"
        "- Sie arbeiten eng mit Kunden, Lieferanten und der Fertigung zusammen\n\nErforderlich:\n"
        "- Abgeschlossenes Studium des Maschinenbaus, der Elektrotechnik oder eine vergleichbare Qualifikation\n"
        "- Mehrjährige Berufserfahrung in der Automobil- oder Zulieferindustrie\n"
        "- Kenntnisse der IATF 16949 und der Werkzeuge APQP, PPAP und FMEA\n- Sehr gute Deutsch- und gute "
        "Englischkenntnisse\n\nWünschenswert:\n- Erfahrung mit SAP S/4HANA\n- Reisebereitschaft von etwa 20 %"
    ),
    cv=CV_HEAD
    + (
        "Berufserfahrung\n{last_title}, Brenner Automotive Components GmbH, Köln — {last_years}\n- {last_bullet}\n"
        "- {second_bullet}\n{first_title}, {first_company} — {first_years}\n\nAusbildung\n{degree}\n"
        "\nZertifikate\n{certificate}"
    )
    + CV_TAIL,
    cv_choices={
        "headline": ("Entwicklungsingenieur", "Qualitätsingenieur", "Projektleiter", "Fertigungsplaner"),
        "summary": (
            "Ingenieur mit über 15 Jahren Erfahrung in der Entwicklung von Steuergeräten für Pkw-Zulieferer.",
            "Qualitätsfachmann aus der Zulieferindustrie, sicher in Audits nach IATF 16949 und VDA 6.3.",
            "Projektleiter, der Serienanläufe termingerecht und im Budget zum Kunden gebracht hat.",
            "Fertigungsplaner mit Erfahrung in Lean Production und der Einführung neuer Montagelinien.",
        ),
        "last_title": ("Entwicklungsingenieur", "Qualitätsingenieur", "Teilprojektleiter", "Fertigungsplaner"),
        "last_years": ("2011 – 2026", "2014 – 2026", "2008 – 2026"),
        "last_bullet": (
            "Verantwortung für die Hardwareentwicklung einer Motorsteuerung bis zum SOP",
            "Leitung von Lieferantenaudits und 8D-Reklamationen mit OEM-Kunden",
            "Termin- und Budgetverantwortung für den Serienanlauf eines Getriebesteuergeräts",
            "Planung und Anlauf einer Montagelinie für Getriebekomponenten (Invest 4,5 Mio. EUR)",
        ),
        "second_bullet": (
            "Senkung der Ausschussquote um 30 % durch Prozess-FMEA und SPC",
            "Führung eines Teams von sechs Ingenieuren und Technikern",
        ),
        "first_title": ("Konstrukteur", "Prüfingenieur", "Trainee Technik"),
        "first_company": ("Hellwig Metallbau GmbH, Wuppertal", "Rheinland Prüftechnik GmbH, Köln"),
        "first_years": ("2003 – 2011", "2006 – 2014", "2001 – 2008"),
        "degree": (
            "Dipl.-Ing. (FH) Elektrotechnik, TH Köln",
            "M.Sc. Maschinenbau, RWTH Aachen",
            "B.Eng. Fahrzeugtechnik, Hochschule Bochum",
        ),
        "certificate": ("Six Sigma Green Belt", "Qualitätsmanagementbeauftragter (TÜV)", "PRINCE2 Foundation"),
        "skills": (
            "CATIA V5, SAP PP/QM, MS Office, FMEA, APQP",
            "Altium Designer, CANoe, AUTOSAR-Grundlagen, MS Project",
            "SAP MM, Lean Management, Shopfloor Management, Excel",
        ),
        "languages": LANGUAGES,
    },
    remote_share=0.05,
    cv_linked=(("headline", "summary", "last_title", "last_bullet"), ("last_years", "first_years")),
)

IT = Field(
    key="it",
    roles=(
        Role("SAP-Berater MM/PP (w/m/d)", 60_000, 78_000, (TECHNOLOGY, MANUFACTURING, ENERGY, RETAIL)),
        Role("IT-Projektleiter (w/m/d)", 70_000, 88_000),
        Role("Systemadministrator (w/m/d)", 50_000, 64_000),
        Role("Data Analyst (w/m/d)", 55_000, 70_000),
        Role("IT-Business-Analyst (w/m/d)", 58_000, 74_000),
    ),
    employers=(DATENWERK, NORDLICHT, LINDEMANN, RHEINVERS, PIXELHAFEN, KESSLER, RHENANIA, DOMSTADT, NETZSERVICE),
    description=(
        "Für unser Team in {company} suchen wir eine/n {title}.\n\nIhre Aufgaben:\n"
        "- Sie begleiten Fachbereiche bei der Einführung und Weiterentwicklung ihrer Systeme\n"
        "- Sie analysieren Anforderungen und setzen sie mit dem Team um\n\nErforderlich:\n"
        "- Abgeschlossenes Studium oder Ausbildung mit IT-Bezug\n- Erfahrung mit SAP, SQL oder Microsoft Azure\n"
        "- Analytisches Denken und Freude an der Arbeit mit Menschen\n\nWünschenswert:\n"
        "- Kenntnisse in Python oder Power BI\n- Erfahrung in agilen Projekten (Scrum)"
    ),
    cv=CV_HEAD
    + (
        "Berufserfahrung\n{last_title}, Brenner Automotive Components GmbH, Köln — {last_years}\n- {last_bullet}\n\n"
        "Weiterbildung\n{course}\n\nAusbildung\n{degree}"
    )
    + CV_TAIL,
    cv_choices={
        "headline": ("SAP-Key-User", "IT-Projektkoordinator", "Data Analyst"),
        "summary": (
            "Langjähriger SAP-Key-User aus der Logistik eines Zulieferers, jetzt mit Zertifizierung als SAP-Berater.",
            "Koordinator der Werks-IT, der Projekte zwischen Fachbereich und Dienstleistern gesteuert hat.",
            "Controller mit Leidenschaft für Daten, umgeschult zum Data Analyst (Python, SQL, Power BI).",
        ),
        "last_title": ("SAP-Key-User Materialwirtschaft", "Koordinator Werks-IT", "Controller"),
        "last_years": ("2010 – 2026", "2013 – 2026"),
        "last_bullet": (
            "Einführung von SAP S/4HANA im Werk Köln begleitet, 40 Anwender geschult",
            "Rollout von 300 Arbeitsplätzen auf Windows 11 koordiniert",
            "Monatliches Werksreporting in Power BI automatisiert",
        ),
        "course": (
            "SAP Certified Application Associate – Sourcing and Procurement (2026)",
            "Weiterbildung Data Analytics, IHK Köln (2026)",
        ),
        "degree": ("Industriekaufmann, IHK Köln", "B.A. Betriebswirtschaft, Hochschule Düsseldorf"),
        "skills": ("SAP MM, SAP PP, Excel, SQL, Jira", "Python, SQL, Power BI, Excel, Scrum"),
        "languages": LANGUAGES,
    },
    remote_share=0.3,
    cv_linked=(("headline", "summary", "last_title", "last_bullet"),),
)

LOGISTICS = Field(
    key="logistics",
    roles=(
        Role("Disponent Nahverkehr (w/m/d)", 38_000, 46_000, (LOGISTICS, RETAIL)),
        Role("Teamleiter Lager (w/m/d)", 42_000, 52_000),
        Role("Supply Chain Analyst (w/m/d)", 50_000, 62_000),
        Role("Speditionskaufmann (w/m/d)", 38_000, 46_000),
        Role("Logistikplaner (w/m/d)", 50_000, 62_000),
        Role("Leiter Versand (w/m/d)", 55_000, 68_000),
    ),
    employers=(RHEINHAFEN, BRUECKNER, KONTRAKT, CARGOSPRINT, WESTKREUZ, HANSE, DOMSTADT, KESSLER, HELIOS),
    description=(
        "Die {company} sucht eine/n {title} für den Standort im Rheinland.\n\nIhre Aufgaben:\n"
        "- Sie planen Touren, Ladungen und Personal im Tagesgeschäft\n"
        "- Sie sind Ansprechpartner für Kunden, Frachtführer und das Lagerteam\n\nErforderlich:\n"
        "- Abgeschlossene kaufmännische Ausbildung in Spedition und Logistik oder vergleichbar\n"
        "- Sicherer Umgang mit einem Transportmanagementsystem und MS Office\n\nWünschenswert:\n"
        "- Staplerschein\n- Englischkenntnisse"
    ),
    cv=CV_HEAD
    + (
        "Berufserfahrung\n{last_title}, Brenner Logistik Services GmbH, Köln — {last_years}\n- {last_bullet}\n\n"
        "Ausbildung\n{degree}"
    )
    + CV_TAIL,
    cv_choices={
        "headline": ("Disponent", "Teamleiter Lager", "Speditionskaufmann"),
        "summary": (
            "Erfahrener Disponent im Nah- und Fernverkehr, ruhig auch an Tagen mit 60 Touren.",
            "Teamleiter im Lager mit Verantwortung für 25 Mitarbeitende im Drei-Schicht-Betrieb.",
            "Speditionskaufmann mit Erfahrung in der Abwicklung von Seefracht und den Zollpapieren dazu.",
        ),
        "last_title": ("Disponent", "Teamleiter Warenausgang", "Speditionskaufmann"),
        "last_years": ("2009 – 2026", "2015 – 2026"),
        "last_bullet": (
            "Disposition von täglich 40 bis 60 Touren im Werksverkehr",
            "Einführung von Scannern im Warenausgang; Fehlerquote halbiert",
            "Abwicklung von jährlich 1.500 Seefrachtsendungen einschließlich Zollanmeldung",
        ),
        "degree": (
            "Kaufmann für Spedition und Logistikdienstleistung, IHK Köln",
            "Fachkraft für Lagerlogistik, IHK Köln",
            "Kaufmann für Spedition und Logistikdienstleistung, IHK Duisburg",
        ),
        "skills": ("SAP EWM, Transportmanagementsystem, MS Office, Staplerschein", "SAP LE, Excel, Zollabwicklung"),
        "languages": LANGUAGES,
    },
    remote_share=0.0,
    cv_linked=(("headline", "summary", "last_title", "last_bullet", "degree"),),
)

LEADERSHIP = Field(
    key="leadership",
    roles=(
        Role("Leiter Produktion (w/m/d)", 95_000, 120_000, (MANUFACTURING,)),
        Role("Bereichsleiter Einkauf (w/m/d)", 100_000, 125_000, (MANUFACTURING, RETAIL, LOGISTICS)),
        Role("Head of Engineering (w/m/d)", 110_000, 140_000, (MANUFACTURING, TECHNOLOGY)),
        Role("Kaufmännischer Leiter (w/m/d)", 105_000, 130_000),
        Role("Werkleiter (w/m/d)", 115_000, 145_000, (MANUFACTURING,)),
        Role("Leiter Controlling (w/m/d)", 95_000, 120_000),
    ),
    employers=(KESSLER, VOGT, WESTFALEN, KRAEMER, HELIOS, LINDEMANN, RHEINVERS, DATENWERK, DOMSTADT, HANSE),
    description=(
        "Für die {company} suchen wir eine erfahrene Führungspersönlichkeit als {title}.\n\nIhre Aufgaben:\n"
        "- Sie führen Ihren Bereich fachlich und disziplinarisch und berichten an die Geschäftsführung\n"
        "- Sie treiben Effizienz, Qualität und die Transformation des Unternehmens voran\n\nErforderlich:\n"
        "- Mindestens zehn Jahre Berufserfahrung, davon fünf in Führungsverantwortung\n"
        "- Erfahrung in einem produzierenden Unternehmen des Mittelstands\n- Verhandlungssicheres Englisch\n\n"
        "Wünschenswert:\n- Erfahrung mit Restrukturierung oder Werksverlagerungen"
    ),
    cv=CV_HEAD
    + (
        "Berufserfahrung\n{last_title}, Brenner Automotive Components GmbH, Köln — {last_years}\n- {last_bullet}\n"
        "- Führung von {team} Mitarbeitenden\n{first_title}, {first_company} — {first_years}\n\nAusbildung\n{degree}"
    )
    + CV_TAIL,
    cv_choices={
        "headline": ("Leiter Produktion", "Bereichsleiter Einkauf", "Leiter Entwicklung", "Kaufmännischer Leiter"),
        "summary": (
            "Produktionsleiter mit 20 Jahren Erfahrung, zuletzt verantwortlich für zwei Werke mit 450 Beschäftigten.",
            "Einkaufsleiter, der ein Volumen von 180 Mio. EUR verhandelt und die Lieferantenbasis neu aufgestellt hat.",
            "Entwicklungsleiter mit Erfahrung in der Transformation vom Verbrenner zur Elektromobilität.",
            "Kaufmännischer Leiter eines Mittelständlers, verantwortlich für Finanzen, Personal und IT.",
        ),
        "last_title": ("Leiter Produktion", "Bereichsleiter Einkauf", "Leiter Entwicklung", "Kaufmännischer Leiter"),
        "last_years": ("2016 – 2026", "2012 – 2026"),
        "last_bullet": (
            "Verlagerung einer Fertigungslinie nach Tschechien termingerecht umgesetzt",
            "Materialkosten in drei Jahren um 7 % gesenkt",
            "Aufbau eines Entwicklungsteams für Leistungselektronik",
            "Rollierende Liquiditätsplanung eingeführt und 25 Mio. EUR Finanzierung neu verhandelt",
        ),
        "team": ("450", "45", "120", "60"),
        "first_title": ("Gruppenleiter", "Abteilungsleiter"),
        "first_company": ("Westfalen Getriebe AG, Bielefeld", "Hellwig Metallbau GmbH, Wuppertal"),
        "first_years": ("2006 – 2016", "2004 – 2012"),
        "degree": (
            "Dipl.-Ing. Maschinenbau, RWTH Aachen",
            "Dipl.-Kfm., Universität zu Köln",
            "Dipl.-Ing. Elektrotechnik, TU Dortmund",
            "Dipl.-Kfm., Universität Münster",
        ),
        "skills": ("SAP S/4HANA, Lean Management, Führung, Verhandlungsführung", "Controlling, SAP FI/CO, Excel"),
        "languages": LANGUAGES,
    },
    remote_share=0.05,
    cv_linked=(
        ("headline", "summary", "last_title", "last_bullet", "team", "degree"),
        ("last_years", "first_years"),
    ),
)

P = Person
PEOPLE = (
    # Umstrukturierung Automobilzulieferer Q2 2026
    P("Thomas Becker", "thomas.becker@rheinwerk.example", "Köln"),
    P("Sabine Krüger", "sabine.krueger@rheinwerk.example", "Leverkusen"),
    P(
        "Mehmet Yılmaz",
        "mehmet.yilmaz@rheinwerk.example",
        "Köln",
        "Deutsch und Türkisch (Muttersprache), Englisch (gut)",
    ),
    P("Andrea Schulz", "andrea.schulz@rheinwerk.example", "Bonn"),
    P("Michael Wagner", "michael.wagner@rheinwerk.example", "Düsseldorf"),
    P(
        "Swetlana Fischer",
        "swetlana.fischer@rheinwerk.example",
        "Neuss",
        "Deutsch (fließend), Russisch (Muttersprache)",
    ),
    P("Frank Zimmermann", "frank.zimmermann@rheinwerk.example", "Wuppertal"),
    P("Claudia Hartmann", "claudia.hartmann@rheinwerk.example", "Solingen"),
    P("Dariusz Nowak", "dariusz.nowak@rheinwerk.example", "Köln", "Deutsch (fließend), Polnisch (Muttersprache)"),
    P("Petra Lehmann", "petra.lehmann@rheinwerk.example", "Remscheid"),
    P("Stefan Braun", "stefan.braun@rheinwerk.example", "Bergisch Gladbach"),
    P("Ayşe Demir", "ayse.demir@rheinwerk.example", "Köln", "Deutsch und Türkisch (Muttersprache), Englisch (gut)"),
    P(
        "Giuseppe Romano",
        "giuseppe.romano@rheinwerk.example",
        "Köln",
        "Deutsch (fließend), Italienisch (Muttersprache)",
    ),
    # Transfergesellschaft Logistik Sommer 2026
    P("Markus Schröder", "markus.schroeder@rheinwerk.example", "Düsseldorf"),
    P("Nicole Richter", "nicole.richter@rheinwerk.example", "Köln"),
    P("Jürgen Klein", "juergen.klein@rheinwerk.example", "Mönchengladbach"),
    P("Birgit Schäfer", "birgit.schaefer@rheinwerk.example", "Duisburg"),
    P("Emre Aydın", "emre.aydin@rheinwerk.example", "Duisburg", "Deutsch und Türkisch (Muttersprache)"),
    P("Jana Bauer", "jana.bauer@rheinwerk.example", "Essen"),
    P(
        "Dimitrios Papadopoulos",
        "dimitrios.papadopoulos@rheinwerk.example",
        "Köln",
        "Deutsch und Griechisch (Muttersprache)",
    ),
    # Führungskräfteprogramm Herbst 2026
    P("Ralf Meyer", "ralf.meyer@rheinwerk.example", "Düsseldorf"),
    P("Christina Weber", "christina.weber@rheinwerk.example", "Düsseldorf"),
    P("Oliver Schneider", "oliver.schneider@rheinwerk.example", "Köln"),
    P("Monika Huber", "monika.huber@rheinwerk.example", "Bonn"),
    P("Alexander Koch", "alexander.koch@rheinwerk.example", "Dortmund"),
    P("Katharina Wolf", "katharina.wolf@rheinwerk.example", "Bonn"),
    P("Anja Keller", "anja.keller@rheinwerk.example", "Krefeld"),
)

ORGANISATION = DemoOrganisation(
    seed="cvplus-demo-rheinwerk",
    currency="EUR",
    utc_offset_hours=1,
    pay_step=500,
    seats=40,
    price_per_seat_minor=4900,
    coaches=(("holger.wendt@rheinwerk.example", "Holger Wendt"), ("leyla.aksoy@rheinwerk.example", "Leyla Aksoy")),
    analyst=("analyst@rheinwerk.example", "Tobias Engel"),
    cohorts=(
        CohortPlan(
            "Umstrukturierung Automobilzulieferer Q2 2026",
            "intake",
            245,
            (240, 190),
            ("automotive", "automotive", "it"),
            (7, 21),
            13,
        ),
        CohortPlan("Transfergesellschaft Logistik Sommer 2026", "intake", 160, (155, 130), ("logistics",), (5, 14), 7),
        CohortPlan("Führungskräfteprogramm Herbst 2026", "programme", 95, (97, 91), ("leadership",), (10, 21), 7),
    ),
    fields=(AUTOMOTIVE, IT, LOGISTICS, LEADERSHIP),
    people=PEOPLE,
    lead_city="Köln",
    template_name="Bewerbungsplan Outplacement",
    template_description=(
        "Der Plan, mit dem alle Teilnehmenden starten: die üblichen Phasen, drei erste Schritte mit Ihrer Beraterin "
        "oder Ihrem Berater und eine Erinnerung eine Woche nach jeder Bewerbung."
    ),
    template_tasks=(
        ("Lebenslauf mit Ihrer Beraterin oder Ihrem Berater abstimmen", 7),
        ("Profil auf XING und LinkedIn aktualisieren", 10),
        ("Drei Initiativbewerbungen an Mittelständler in der Region schicken", 21),
    ),
    goal_title="10 Bewerbungen pro Woche",
    announcement=(
        "Bewerbertraining: Vorstellungsgespräche per Video",
        "Immer mehr Unternehmen führen die erste Runde per Video. In unserem Training am Dienstag um 10 Uhr üben "
        "wir Technik, Licht und die typischen Fragen; danach gibt es Einzeltermine für ein Probeinterview. "
        "Bitte melden Sie sich bei Ihrer Beraterin oder Ihrem Berater an.",
    ),
    coach_notes=(
        (
            "offer_pending",
            "Angebot liegt vor. Gehalt am oberen Ende der Spanne; wir klären noch Dienstwagen und betriebliche "
            "Altersvorsorge, bevor er unterschreibt.",
        ),
        ("offer_pending", "Zweites Gespräch beim Werkleiter gut gelaufen; Rückmeldung kam schon nach zwei Tagen."),
        (
            "landed",
            "Neue Stelle angetreten. Abschlussgespräch geführt; Probezeit sechs Monate, wir melden uns in drei.",
        ),
        (
            "quiet",
            "Seit drei Wochen keine Bewerbung. Telefonisch nachgefragt: familiäre Gründe, wir pausieren bis "
            "Monatsende.",
        ),
        (
            "interview_recent",
            "Vorstellungsgespräch vorbereitet: Fragen zur Verlagerung der Fertigung souverän beantworten, "
            "Zahlen parat.",
        ),
        (
            "searching",
            "Lebenslauf gekürzt auf zwei Seiten, Erfolge mit Zahlen belegt. Zielbranchen: Medizintechnik und Energie.",
        ),
        (
            "searching",
            "Viele Absagen aus der Automobilbranche. Wir erweitern die Suche auf Maschinenbau und Bahntechnik.",
        ),
        ("", "Gehaltsvorstellung besprochen: realistisch sind 5 bis 10 % unter dem bisherigen Tarifgehalt."),
    ),
    coach_tasks=(
        "Drei Wunschunternehmen recherchieren und Ansprechpartner finden",
        "Anschreiben für den Maschinenbau überarbeiten",
        "Zeugnisse und Zertifikate als ein PDF zusammenstellen",
        "Probeinterview per Video vereinbaren",
        "Kontakt zur Agentur für Arbeit wegen Weiterbildung aufnehmen",
    ),
)
