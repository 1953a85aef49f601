"""Postings and CVs written for these tests (not copied from any site): one data-science posting per language, the
failures issue 15 lists, and CVs in English, German and Japanese."""

from __future__ import annotations

POSTING_EN = """Data Scientist
We are a fast-growing logistics platform helping shippers move freight.

Responsibilities
- Build forecasting models for demand
- Present findings to stakeholders

Requirements
- 3+ years as a data scientist
- Solid grounding in statistics
- Bachelor's in Statistics, CS, Mathematics or related field
- Python and SQL

Nice to have
- Experience with Apache Airflow
- Sign-on bonus available

Compensation: $125,000 – $155,000
Benefits: health insurance, 401(k)
"""

POSTING_DE = """Data Scientist (m/w/d) – Einzelhandel
Wir sind einer der größten Lebensmittelhändler Deutschlands mit über 3.000 Filialen.

Ihre Aufgaben
- Sie entwickeln Prognosemodelle für den Abverkauf in unseren Filialen
- Sie arbeiten eng mit dem Category Management zusammen

Ihr Profil
- Abgeschlossenes Studium (Master oder Diplom) in Statistik, Mathematik, Informatik oder einem vergleichbaren Fach
- Mindestens 3 Jahre Berufserfahrung als Data Scientist
- Sehr gute Kenntnisse in Python und SQL
- Fundierte Kenntnisse in Statistik und maschinellem Lernen
- Erfahrung mit Apache Airflow würden wir begrüßen

Wünschenswert
- Erfahrung im Einzelhandel
- Kenntnisse in Apache Spark

Wir bieten
- 30 Tage Urlaub
- Gehalt: 65.000 – 80.000 € brutto im Jahr
"""

POSTING_FR = """Data Scientist
Nous sommes une banque en ligne.

Vos missions
- Concevoir des modèles de scoring

Profil recherché
- Master en statistiques ou mathématiques
- 3 ans d'expérience minimum en tant que data scientist
- Maîtrise de Python et SQL
- Connaissances en apprentissage automatique

Un plus
- Expérience avec Apache Spark
- Connaissance de Airflow de préférence

Rémunération : 55 000 € – 65 000 € par an
"""

POSTING_ES = """Científico de datos
Somos una cadena de tiendas de moda.

Funciones
- Desarrollar modelos de predicción de ventas

Requisitos
- Grado en Estadística, Matemáticas o Informática
- Al menos 3 años de experiencia como científico de datos
- Python y SQL
- Conocimientos de aprendizaje automático

Se valorará
- Experiencia con Apache Spark

Salario: 45.000 € brutos anuales
"""

POSTING_JA = """データサイエンティスト
当社は国内最大級のECプラットフォームを運営しています。

【業務内容】
・需要予測モデルの開発

【必須要件】
・データサイエンティストとしての実務経験3年以上
・PythonおよびSQLを用いたデータ分析経験
・統計学の知識
・機械学習モデルの開発経験
・学士（統計学、数学、情報科学など）

【歓迎要件】
・Apache Sparkの利用経験
・修士号

【給与】
年収800万円～1200万円

【福利厚生】
・社会保険完備
"""

CV_EN = """Jane Doe
Data Scientist · jane.doe@example.com · +1 555 0100 · Boston
(Data Scientist)

Summary
Data scientist with a solid grounding in statistics and machine learning.

Experience
Data Scientist, Shipwise (2019 – Present)
- Built demand forecasting models in Python and SQL, reducing stock-outs by 12 %
- Statistical analysis of survey data
Research Assistant, Boston University (2016 – 2018)
- Statistics for a public health study

Education
M.S. in Statistics, Boston University, 2018
B.S. in Mathematics, University of Vermont, 2016

Skills
Python, SQL, Apache Airflow, machine learning, statistics
"""

CV_DE = """Max Mustermann
Data Scientist · max@example.de · München

Berufserfahrung
03/2019 – heute  Data Scientist, Handelshaus Süd GmbH
- Prognosemodelle in Python und SQL für 400 Filialen
- Maschinelles Lernen für die Absatzplanung
01/2017 – 02/2019  Werkstudent Datenanalyse, Statistik Amt Bayern

Ausbildung
Master of Science Statistik, LMU München, 2018
Bachelor of Science Mathematik, TU München, 2016

Kenntnisse
Python, SQL, Statistik, maschinelles Lernen, Apache Airflow
"""

CV_JA = """山田 太郎
データサイエンティスト
taro@example.jp

職務経歴
2019年4月～現在 株式会社サンプル データサイエンティスト
・PythonとSQLによる需要予測モデルの開発
・機械学習モデルの運用
2016年4月～2019年3月 株式会社テスト データアナリスト

学歴
2016年3月 東京大学大学院 統計学 修士
2014年3月 東京大学 数学 学士

スキル
Python、SQL、統計学、機械学習
"""

CV_FR = """Camille Martin
Data Scientist · camille@example.fr

Expérience professionnelle
janv. 2020 – aujourd'hui  Data Scientist, Banque Exemple
- Modèles de scoring en Python et SQL, apprentissage automatique
sept. 2016 – déc. 2019  Analyste de données, Assur Exemple

Formation
Master en statistiques, Université Paris-Saclay, 2016

Compétences
Python, SQL, statistiques, apprentissage automatique
"""

CV_ES = """Lucía García
Científica de datos · lucia@example.es

Experiencia
2018 – actualidad  Científica de datos, Modas Ejemplo
- Modelos de predicción de ventas con Python y SQL, aprendizaje automático

Formación
Grado en Estadística, Universidad de Sevilla, 2017

Habilidades
Python, SQL, estadística, aprendizaje automático
"""

CV_NURSE = """Maria Lopez, RN
Registered Nurse · maria@example.com

Experience
Registered Nurse, St. Mary's Hospital (2017 – Present)
- IV therapy, wound care and telemetry monitoring on a 30-bed cardiac unit
- Patient education and care plans documented in Epic
- Microsoft Excel reports on falls

Certifications
BLS, ACLS

Skills
IV therapy, wound care, telemetry, Epic, Microsoft Excel
"""
